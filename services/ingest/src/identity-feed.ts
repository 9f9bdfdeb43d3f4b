import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NexoError, earliestInstant, type NexoErrorCode, type Problem } from '@nexo/fhir';
import { citizenIdFromIdentifier, type CitizenId } from '@nexo/identifiers';
import { describeRoutes, sendProblems } from '@nexo/runtime';
import { bearerToken, isSameToken } from '@nexo/auth';
import {
  COLLECTIONS,
  DEMOGRAPHIC_FIELDS,
  displayCns,
  identifiersNamingPerson,
  type Demographics,
  type Person,
} from '@nexo/domain';
import { runIdentityCommand, type IdentityDeps, type IdentityResult } from './identity-commands.ts';
import { IDENTITY_FEED_SCHEMAS } from './identity-feed-schemas.ts';
import { identityReadModelVersion } from './identity-read-model.ts';

/**
 * The national registry's identity feed: identify a person, link identifiers, unlink those linked
 * by mistake, merge persons.
 * Only the registry may call it (a bearer secret from the configuration).
 */
export const identityFeedRoutes =
  (deps: IdentityDeps & { readonly feedToken: string }) => async (app: FastifyInstance) => {
    app.addHook('onRoute', describeRoutes(IDENTITY_FEED_SCHEMAS));
    const authorise = (request: FastifyRequest) => {
      // The same reading of the headers as every other route and as the audit trail's:
      // `Authorization: Bearer <token>`, or `X-Authorization-Server` as the national network sends it.
      const given = bearerToken(request.headers);
      // An empty configured token would match a request without any: it opens nothing.
      if (deps.feedToken.length === 0 || given === undefined || !isSameToken(given, deps.feedToken)) {
        throw new NexoError(
          'NEXO_ERR_UNAUTHENTICATED',
          'the identity feed accepts only the national registry’s token.',
        );
      }
    };

    app.post('/identity/v1/persons', async (request, reply) => {
      authorise(request);
      const body = objectBody(request.body);
      const identifiers = parseIdentifiers(body.identifiers);
      const demographics = parseDemographics(body, deps.clock());
      const result = await runIdentityCommand(
        deps,
        { kind: 'identify', newPersonId: deps.newId(), identifiers, demographics },
        request.id,
      );
      return answer(reply, result);
    });

    for (const [path, kind] of [
      ['/identity/v1/persons/:personId/identifiers', 'link'],
      // The registry's correction of a link it made by mistake (someone else's number).
      ['/identity/v1/persons/:personId/unlink', 'unlink'],
    ] as const) {
      app.post<{ Params: { personId: string } }>(path, async (request, reply) => {
        authorise(request);
        const body = onlyFields(objectBody(request.body), ['identifiers']);
        const identifiers = parseIdentifiers(body.identifiers);
        return answer(
          reply,
          await runIdentityCommand(
            deps,
            { kind, personId: request.params.personId, identifiers },
            request.id,
          ),
        );
      });
    }

    app.post<{ Params: { personId: string } }>(
      '/identity/v1/persons/:personId/merge',
      async (request, reply) => {
        authorise(request);
        const merged = onlyFields(objectBody(request.body), ['mergedPersonId']).mergedPersonId;
        if (merged === undefined) throw invalid('mergedPersonId', 'mergedPersonId is required.');
        if (typeof merged !== 'string' || merged.length === 0 || merged.length > 64)
          throw invalid(
            'mergedPersonId',
            'mergedPersonId must be a person id of 1 to 64 characters.',
            'NEXO_ERR_VALIDATION_STRUCTURE',
          );
        return answer(
          reply,
          await runIdentityCommand(
            deps,
            { kind: 'merge', personId: request.params.personId, mergedPersonId: merged },
            request.id,
          ),
        );
      },
    );

    app.get<{ Params: { personId: string } }>('/identity/v1/persons/:personId', async (request, reply) => {
      authorise(request);
      // The person as of every identity change already answered, as the commands decide on it.
      await identityReadModelVersion(deps);
      const person = await deps.readStore.get<Person>(COLLECTIONS.persons, request.params.personId);
      if (!person) return sendProblems(reply, [{ code: 'NEXO_ERR_NOT_FOUND', message: 'no such person.' }]);
      const identifiers = identifiersNamingPerson(person.body);
      return reply.send({ ...person.body, identifiers, displayCns: displayCns({ identifiers }) });
    });
  };

const answer = (reply: FastifyReply, result: IdentityResult) => {
  if (result.kind === 'rejected') return sendProblems(reply, result.problems);
  const created = result.kind === 'changed' && result.created;
  return reply
    .code(created ? 201 : 200)
    .send({ personId: result.personId, changed: result.kind === 'changed' });
};

/** A 422 naming the field; `code` says what is wrong with it (missing, wrong type, not a code, a bad date). */
const invalid = (
  expression: string,
  message: string,
  code: NexoErrorCode = 'NEXO_ERR_VALIDATION_REQUIRED',
): NexoError => new NexoError(code, [{ code, expression, message }]);

const objectBody = (body: unknown): Record<string, unknown> => {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw invalid('$', 'the body must be a JSON object.');
  return body as Record<string, unknown>;
};

/** The body, refused naming the first field the route does not take. */
const onlyFields = (body: Record<string, unknown>, allowed: readonly string[]): Record<string, unknown> => {
  const unknown = Object.keys(body).find((key) => !allowed.includes(key));
  if (unknown !== undefined)
    throw invalid(
      unknown,
      `unknown field ${JSON.stringify(unknown).slice(0, 40)}.`,
      'NEXO_ERR_VALIDATION_STRUCTURE',
    );
  return body;
};

const parseIdentifiers = (value: unknown): CitizenId[] => {
  if (value === undefined) throw invalid('identifiers', 'identifiers is required.');
  if (!Array.isArray(value) || value.length === 0 || value.length > 20) {
    throw invalid(
      'identifiers',
      'identifiers must be a list of 1 to 20 {system, value} identifiers.',
      'NEXO_ERR_VALIDATION_STRUCTURE',
    );
  }
  const problems: Problem[] = [];
  const ids = value.flatMap((item: unknown, index) => {
    const parsed = citizenIdFromIdentifier(typeof item === 'object' && item !== null ? item : {});
    if (parsed.ok) return [parsed.id];
    problems.push({
      code: 'NEXO_ERR_VALIDATION_IDENTIFIER',
      expression: `identifiers[${index}]`,
      message: `identifier rejected: ${parsed.reason}.`,
    });
    return [];
  });
  if (problems.length > 0) throw new NexoError('NEXO_ERR_VALIDATION_IDENTIFIER', problems);
  return ids;
};

/** Fields the feed may send besides the demographics; `address` is accepted and never kept. */
const OTHER_FIELDS = ['identifiers', 'address'];

const parseDemographics = (body: Record<string, unknown>, now: Date): Demographics => {
  onlyFields(body, [...DEMOGRAPHIC_FIELDS, ...OTHER_FIELDS]);
  const text = (field: string): string | undefined => {
    const value = body[field];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value.length === 0 || value.length > 200)
      throw invalid(field, `${field} must be text of 1 to 200 characters.`, 'NEXO_ERR_VALIDATION_STRUCTURE');
    return value;
  };
  const birthDate = text('birthDate');
  if (birthDate !== undefined) {
    const earliest = /^\d{4}-\d{2}-\d{2}$/.test(birthDate) ? earliestInstant(birthDate, 'date') : undefined;
    if (earliest === undefined)
      throw invalid(
        'birthDate',
        'birthDate must be a calendar date, YYYY-MM-DD.',
        'NEXO_ERR_VALIDATION_DATE',
      );
    if (earliest > now.getTime())
      throw invalid('birthDate', 'birthDate is in the future.', 'NEXO_ERR_VALIDATION_DATE');
  }
  const sex = text('sex');
  if (sex !== undefined && sex !== 'male' && sex !== 'female' && sex !== 'unknown')
    throw invalid('sex', 'sex must be male, female or unknown.', 'NEXO_ERR_VALIDATION_CODE');
  const demographics: Record<string, string> = {};
  for (const field of DEMOGRAPHIC_FIELDS) {
    const value = field === 'sex' ? sex : field === 'birthDate' ? birthDate : text(field);
    if (value !== undefined) demographics[field] = value;
  }
  return demographics as Demographics;
};
