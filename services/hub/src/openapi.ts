import type { FastifyInstance, FastifySchema } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { BEARER_CHALLENGES, DEV_ISSUER_PATH } from '@nexo/auth';
import {
  JSON_BODY_TYPES,
  PLAIN_JSON_FIRST,
  unauthenticatedAnswer,
  type DocumentedSchema,
} from '@nexo/runtime';

/** Tag and security of a route, by the API it belongs to (the portal's routes hide themselves). */
const API_AREAS = [
  { prefix: '/citizen/', tag: 'citizen', security: 'citizenToken' },
  { prefix: '/establishment/', tag: 'establishment', security: 'establishmentToken' },
  { prefix: '/fhir/', tag: 'fhir', security: 'establishmentToken' },
  { prefix: '/api/fhir/', tag: 'fhir', security: 'establishmentToken' },
  // The token routes' security is their own (HTTP Basic or the form): see token-schemas.ts.
  { prefix: '/auth/', tag: 'auth' },
  { prefix: `${DEV_ISSUER_PATH}/`, tag: 'auth' },
  { prefix: '/admin/', tag: 'admin', security: 'adminToken' },
  { prefix: '/public/', tag: 'public' },
  { prefix: '/identity/', tag: 'identity', security: 'registryToken' },
  { prefix: '/health', tag: 'operations' },
  { prefix: '/ready', tag: 'operations' },
  { prefix: '/metrics', tag: 'operations' },
] as const;

const DOCS = '/docs';

/** Public routes under an authenticated prefix. */
const PUBLIC = new Set(['/fhir/r4/metadata', '/api/fhir/r4/metadata']);

/** Carries a route's `optionalBody` from `transform` (the route's schema) to `transformObject` (the document). */
const OPTIONAL_BODY = 'x-nexo-optional-body';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A route taking a token can answer 401, and every 401 carries a Bearer challenge (the audit
 * trail adds it): its 4xx answer with `WWW-Authenticate`, unless the route describes its own 401.
 */
const withChallenge = (response: unknown): unknown =>
  isRecord(response) && isRecord(response['4xx']) && response['401'] === undefined
    ? { 401: unauthenticatedAnswer(response['4xx'], BEARER_CHALLENGES), ...response }
    : response;

/**
 * A route's operation: its API area's tag and, unless the route is public, the area's security
 * and the 401 that comes with it; an optional body marked for `unmarkOptionalBodies`. A body is
 * read by the edge's JSON parser under each of `JSON_BODY_TYPES` (@fastify/swagger would list
 * `application/json` alone), FHIR's type first on the FHIR routes and plain JSON's elsewhere (what
 * Swagger UI preselects), unless its schema names the types of a parser of its own.
 */
const describedOperation = (url: string, schema: DocumentedSchema = {}): FastifySchema => {
  const { optionalBody, ...described } = schema;
  const area = API_AREAS.find((a) => url.startsWith(a.prefix));
  const operation = {
    ...described,
    ...(described.body !== undefined && described.consumes === undefined
      ? { consumes: area?.tag === 'fhir' ? JSON_BODY_TYPES : PLAIN_JSON_FIRST }
      : {}),
    ...(optionalBody ? { [OPTIONAL_BODY]: true } : {}),
  };
  if (!area) return operation;
  const tagged = { tags: [area.tag], ...operation };
  if (!('security' in area) || PUBLIC.has(url)) return tagged;
  return { ...tagged, security: [{ [area.security]: [] }], response: withChallenge(tagged.response) };
};

/**
 * @fastify/swagger marks every described body `required`, as fastify refuses an absent body its
 * schema validates. The bodies of `describeRoutes` are not validated, and those a route also takes
 * absent (`optionalBody`) are described `required: false`.
 */
const unmarkOptionalBodies = <D extends { paths?: unknown }>(document: D): D => {
  const paths = isRecord(document.paths) ? Object.values(document.paths) : [];
  for (const operation of paths.flatMap((item) => (isRecord(item) ? Object.values(item) : []))) {
    if (!isRecord(operation) || !(OPTIONAL_BODY in operation)) continue;
    delete operation[OPTIONAL_BODY];
    if (isRecord(operation.requestBody)) operation.requestBody.required = false;
  }
  return document;
};

/**
 * Collects the OpenAPI description of the hub's APIs from the route schemas each service keeps
 * beside its routes. Registered before every route (it listens to `onRoute`), the token routes
 * included; `serveOpenApi` then serves it.
 */
export const collectOpenApi = async (app: FastifyInstance, version: string): Promise<void> => {
  // Swagger UI's pages and assets are not JSON: Accept is not checked on them (see MediaRouteConfig).
  app.addHook('onRoute', (route) => {
    if (route.url === DOCS || route.url.startsWith(`${DOCS}/`))
      route.config = { ...route.config, produces: 'text/html' };
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Nexo API',
        version,
        description:
          'Citizen API (a citizen reads only their own records), establishment API (what a sender sent and what was ' +
          'rejected), the FHIR R4 sender API, the tokens, the establishment registry’s administration and the ' +
          'national registry’s identity feed. Every error is a FHIR OperationOutcome. The FHIR API is also ' +
          'described by its CapabilityStatement at /fhir/r4/metadata.',
      },
      tags: [
        {
          name: 'citizen',
          description:
            'The citizen reads their own records: token dev-citizen-cpf-<CPF> or dev-citizen-cns-<CNS>',
        },
        {
          name: 'establishment',
          description: 'A sender lists its submissions and rejections: token dev-establishment-<CNES>',
        },
        { name: 'fhir', description: 'FHIR R4 sender API (application/fhir+json)' },
        {
          name: 'auth',
          description: 'Tokens: client credentials for establishments, the development issuer',
        },
        {
          name: 'admin',
          description:
            'The establishment registry’s administration (only when NEXO_ADMIN_TOKEN is set): register, read, ' +
            'rotate the secret, disable, set the REL authors',
        },
        {
          name: 'identity',
          description: 'The national registry identity feed: persons, links, unlinks, merges',
        },
        { name: 'public', description: 'Public routes, such as the verification of a certificate code' },
        { name: 'operations', description: 'Liveness, readiness and Prometheus metrics' },
      ],
      components: {
        securitySchemes: {
          citizenToken: {
            type: 'http',
            scheme: 'bearer',
            description:
              'A token naming the citizen (development mode: dev-citizen-cpf-<CPF> or dev-citizen-cns-<CNS>).',
          },
          registryToken: {
            type: 'http',
            scheme: 'bearer',
            description:
              'The national registry feed token (NEXO_IDENTITY_FEED_TOKEN), in Authorization: Bearer <token> (or ' +
              'X-Authorization-Server).',
          },
          establishmentToken: {
            type: 'http',
            scheme: 'bearer',
            description:
              'A token from POST /auth/token issued to an establishment (development mode: dev-establishment-<CNES>); ' +
              'also accepted in X-Authorization-Server: Bearer <token>, as national network software sends it.',
          },
          establishmentClient: {
            type: 'http',
            scheme: 'basic',
            description:
              'The client id (the CNES) and secret of a registered establishment (RFC 6749 §2.3.1), for POST ' +
              '/auth/token; the form fields client_id and client_secret may carry them instead.',
          },
          adminToken: {
            type: 'http',
            scheme: 'bearer',
            description:
              'The admin token (NEXO_ADMIN_TOKEN), in Authorization: Bearer <token> (or X-Authorization-Server).',
          },
        },
      },
    },
    transform: ({ schema, url }) => ({ schema: describedOperation(url, schema), url }),
    transformObject: (document) =>
      'openapiObject' in document ? unmarkOptionalBodies(document.openapiObject) : document.swaggerObject,
  });
};

/** Swagger UI at `/docs` over the description at `/docs/json`. */
export const serveOpenApi = async (app: FastifyInstance): Promise<void> => {
  await app.register(swaggerUi, { routePrefix: DOCS, uiConfig: { docExpansion: 'list', deepLinking: true } });
};
