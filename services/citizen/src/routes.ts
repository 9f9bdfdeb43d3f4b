import type { FastifyInstance } from 'fastify';
import type { ReadStore } from '@nexo/readstore';
import { NexoError } from '@nexo/fhir';
import { citizenKey } from '@nexo/identifiers';
import { authenticateCitizen } from '@nexo/runtime';
import {
  COLLECTIONS,
  TIMELINE_MAX_PAGE,
  decodeCursor,
  dispensations,
  labResults,
  timelinePage,
  vaccinationCard,
  type CitizenRecords,
} from '@nexo/domain';

export interface CitizenDeps {
  readonly readStore: ReadStore;
}

/**
 * The citizen's own data, read from projections only (never the event store). The token names
 * the citizen; there is no path parameter that could name another one.
 */
export const citizenRoutes = (deps: CitizenDeps) => async (app: FastifyInstance) => {
  const recordsOf = async (headers: Record<string, string | string[] | undefined>) => {
    const citizen = authenticateCitizen(headers);
    const doc = await deps.readStore.get<CitizenRecords>(COLLECTIONS.citizenRecords, citizenKey(citizen));
    return doc?.body;
  };

  app.get('/citizen/v1/me/immunizations', async (request) => ({
    immunizations: vaccinationCard(await recordsOf(request.headers)),
  }));
  app.get('/citizen/v1/me/lab-results', async (request) => ({
    labResults: labResults(await recordsOf(request.headers)),
  }));
  app.get('/citizen/v1/me/dispensations', async (request) => ({
    dispensations: dispensations(await recordsOf(request.headers)),
  }));
  app.get<{ Querystring: { cursor?: string; limit?: string } }>(
    '/citizen/v1/me/timeline',
    async (request) => {
      const view = await recordsOf(request.headers);
      const limit = parseLimit(request.query.limit);
      const cursor = request.query.cursor === undefined ? undefined : decodeCursor(request.query.cursor);
      if (request.query.cursor !== undefined && !cursor) {
        throw new NexoError('NEXO_ERR_UNPARSABLE', [
          {
            code: 'NEXO_ERR_UNPARSABLE',
            expression: 'cursor',
            message: 'cursor is not one this API issued; start again without it.',
          },
        ]);
      }
      return timelinePage(view, { limit, ...(cursor ? { cursor } : {}) });
    },
  );
};

const parseLimit = (raw: string | undefined): number => {
  if (raw === undefined) return 20;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > TIMELINE_MAX_PAGE) {
    throw new NexoError('NEXO_ERR_UNPARSABLE', [
      {
        code: 'NEXO_ERR_UNPARSABLE',
        expression: 'limit',
        message: `limit must be an integer from 1 to ${TIMELINE_MAX_PAGE}.`,
      },
    ]);
  }
  return n;
};
