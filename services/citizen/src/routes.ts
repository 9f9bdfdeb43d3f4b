import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ReadStore } from '@nexo/readstore';
import { answerNoStore, attachSchemas, invalidCursorParam, parseLimitParam } from '@nexo/runtime';
import type { Authenticator } from '@nexo/auth';
import { resolveCitizen } from './resolve-person.ts';
import { establishmentNames } from './establishment-names.ts';
import { CITIZEN_ROUTE_SCHEMAS } from './schemas.ts';
import {
  displayCns,
  TIMELINE_MAX_PAGE,
  decodeCursor,
  dispensations,
  labResults,
  timelinePage,
  vaccinationCard,
} from '@nexo/domain';

export interface CitizenDeps {
  readonly readStore: ReadStore;
  /** Who is asking: the citizen named by a verified token (OIDC, subject = CPF). */
  readonly auth: Authenticator;
}

/**
 * The citizen's own data, read from projections only (never the event store). The token names
 * the citizen; there is no path parameter that could name another one.
 */
export const citizenRoutes = (deps: CitizenDeps) => async (app: FastifyInstance) => {
  app.addHook('onRoute', attachSchemas(CITIZEN_ROUTE_SCHEMAS));
  answerNoStore(app);
  /** The citizen's records across all their identifiers, and who sent them by name. */
  const recordsOf = async (request: FastifyRequest) => {
    const { records } = await resolveCitizen(deps.readStore, await deps.auth.citizen(request));
    return { records, nameOf: await establishmentNames(deps.readStore, records) };
  };

  app.get('/citizen/v1/me', async (request) => {
    const resolved = await resolveCitizen(deps.readStore, await deps.auth.citizen(request));
    return {
      cns: displayCns({ identifiers: resolved.identifiers }),
      cpf: resolved.identifiers.find((i) => i.kind === 'CPF')?.number,
      identifiers: resolved.identifiers,
      ...(resolved.person ? { demographics: resolved.person.demographics } : {}),
    };
  });

  app.get('/citizen/v1/me/immunizations', async (request) => {
    const { records, nameOf } = await recordsOf(request);
    return { immunizations: vaccinationCard(records, nameOf) };
  });
  app.get('/citizen/v1/me/lab-results', async (request) => {
    const { records, nameOf } = await recordsOf(request);
    return { labResults: labResults(records, nameOf) };
  });
  app.get('/citizen/v1/me/dispensations', async (request) => {
    const { records, nameOf } = await recordsOf(request);
    return { dispensations: dispensations(records, nameOf) };
  });
  app.get<{ Querystring: { cursor?: string; limit?: string } }>(
    '/citizen/v1/me/timeline',
    async (request) => {
      const { records, nameOf } = await recordsOf(request);
      const limit = parseLimitParam(request.query.limit, TIMELINE_MAX_PAGE);
      const cursor = request.query.cursor === undefined ? undefined : decodeCursor(request.query.cursor);
      if (request.query.cursor !== undefined && !cursor) throw invalidCursorParam();
      return timelinePage(records, { limit, ...(cursor ? { cursor } : {}) }, nameOf);
    },
  );
};
