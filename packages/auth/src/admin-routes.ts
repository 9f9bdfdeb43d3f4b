import type { FastifyInstance, FastifyRequest } from 'fastify';
import { NexoError } from '@nexo/fhir';
import { describeRoutes } from '@nexo/runtime';
import { ADMIN_ROUTE_SCHEMAS } from './admin-schemas.ts';
import { ADMIN_ACTOR } from './bearer-identity.ts';
import { bearerToken, isSameToken } from './bearer.ts';
import { checkCnes, type EstablishmentRegistry } from './registry.ts';
import type { AuditTrail } from './trail.ts';

export interface AdminRouteDeps {
  readonly registry: EstablishmentRegistry;
  readonly trail: AuditTrail;
  /** `NEXO_ADMIN_TOKEN`; the routes exist only when it is set. */
  readonly adminToken: string;
  readonly rateLimitPerMinute: number;
}

const objectBody = (body: unknown): Record<string, unknown> =>
  typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};

/**
 * The establishment registry's admin endpoints (the CLI does the same on the host):
 * register (the secret is answered once), rotate the secret, disable, read, and set the CNPJs
 * and CNSs the establishment may author REL documents under.
 */
export const adminRoutes = (deps: AdminRouteDeps) => async (app: FastifyInstance) => {
  app.addHook('onRoute', describeRoutes(ADMIN_ROUTE_SCHEMAS));
  const authorise = (request: FastifyRequest) => {
    const given = bearerToken(request.headers);
    if (given === undefined || !isSameToken(given, deps.adminToken)) {
      deps.trail.refuse(request, 'invalid admin credential', undefined, given !== undefined);
      throw new NexoError('NEXO_ERR_UNAUTHENTICATED', 'the admin endpoints need the admin bearer token.');
    }
    deps.trail.identify(request, ADMIN_ACTOR);
  };
  const config = { rateLimit: { max: deps.rateLimitPerMinute, timeWindow: 60_000 } };
  const noStore = { 'cache-control': 'no-store', pragma: 'no-cache' };

  app.post('/admin/v1/establishments', { config }, async (request, reply) => {
    authorise(request);
    const body = onlyFields(objectBody(request.body), ['cnes', 'name', 'cnpj', 'cns']);
    const issued = await deps.registry.register(checkCnes(body.cnes), body.name, 'admin:api', {
      cnpj: body.cnpj,
      cns: body.cns,
    });
    return reply.code(201).headers(noStore).send(issued);
  });

  app.get<{ Params: { cnes: string } }>(
    '/admin/v1/establishments/:cnes',
    { config },
    async (request, reply) => {
      authorise(request);
      const state = await deps.registry.lookUp(request.params.cnes);
      if (state.version === 0)
        throw new NexoError('NEXO_ERR_NOT_FOUND', 'no establishment is registered with this CNES.');
      return reply.send({
        clientId: state.cnes,
        name: state.name,
        active: state.active,
        cnpj: state.authors.cnpj,
        cns: state.authors.cns,
      });
    },
  );

  app.post<{ Params: { cnes: string } }>(
    '/admin/v1/establishments/:cnes/secret',
    { config },
    async (request, reply) => {
      authorise(request);
      return reply.headers(noStore).send(await deps.registry.rotateSecret(request.params.cnes, 'admin:api'));
    },
  );

  app.post<{ Params: { cnes: string } }>(
    '/admin/v1/establishments/:cnes/disable',
    { config },
    async (request, reply) => {
      authorise(request);
      const body = onlyFields(objectBody(request.body), ['reason']);
      await deps.registry.disable(request.params.cnes, body.reason, 'admin:api');
      return reply.send({ clientId: request.params.cnes, active: false });
    },
  );

  // The whole list each time: an identity left out stops being accepted as an author.
  app.put<{ Params: { cnes: string } }>(
    '/admin/v1/establishments/:cnes/authors',
    { config },
    async (request, reply) => {
      authorise(request);
      const body = onlyFields(
        objectBody(request.body),
        ['cnpj', 'cns'],
        ', each a list (an empty list removes them all)',
      );
      const authors = await deps.registry.setAuthors(
        request.params.cnes,
        { cnpj: body.cnpj ?? [], cns: body.cns ?? [] },
        'admin:api',
      );
      return reply.send({ clientId: request.params.cnes, ...authors });
    },
  );
};

/** Refuses a field the endpoint does not take (a typo such as `cnpjs` would otherwise be lost). */
const onlyFields = (
  body: Record<string, unknown>,
  fields: readonly string[],
  note = '',
): Record<string, unknown> => {
  const extra = Object.keys(body).find((key) => !fields.includes(key));
  if (extra === undefined) return body;
  throw new NexoError('NEXO_ERR_VALIDATION_STRUCTURE', [
    {
      code: 'NEXO_ERR_VALIDATION_STRUCTURE',
      expression: extra.slice(0, 32),
      message: `unknown field; the body takes only ${fields.join(', ')}${note}.`,
    },
  ]);
};
