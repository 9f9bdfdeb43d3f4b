import type { FastifySchema, RouteOptions } from 'fastify';
import { FHIR_MEDIA_TYPES } from './negotiation.ts';

/** A route schema with the OpenAPI words @fastify/swagger reads. */
export type DocumentedSchema = FastifySchema & {
  readonly summary?: string;
  readonly description?: string;
  readonly tags?: readonly string[];
  /**
   * The body's media types, for a route with a parser of its own (a form); absent, the hub's
   * description lists `JSON_BODY_TYPES`, the types the edge's JSON parser reads.
   */
  readonly consumes?: readonly string[];
  /**
   * The route also takes the request without a body. @fastify/swagger marks every described body
   * `required`; the hub's description unmarks these (services/hub/src/openapi.ts).
   */
  readonly optionalBody?: true;
  /** Overrides the security an API area gives its routes (see the hub's openapi.ts). */
  readonly security?: ReadonlyArray<Readonly<Record<string, readonly string[]>>>;
};

/** Route schemas keyed by `METHOD url-pattern`, e.g. `GET /citizen/v1/me/immunizations`. */
export type RouteSchemas = Readonly<Record<string, DocumentedSchema>>;

/**
 * Answers are written with `JSON.stringify`, not a serialiser compiled from the response schema.
 * Every response schema here is open (`additionalProperties`), so a compiled one drops nothing,
 * and on these nested answers it is the slower of the two: 25–35 µs against 16–19 µs for a
 * three-dose vaccination card, measured.
 */
const serialiseAsIs = () => JSON.stringify;

/**
 * An `onRoute` hook that gives each route of the plugin its schema from a table kept beside the
 * routes: request schemas for validation, response schemas for the OpenAPI description, without
 * touching the route definitions. A schema a route declares itself wins, key by key.
 */
export const attachSchemas =
  (schemas: RouteSchemas) =>
  (route: RouteOptions): void => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const schema = methods.map((method) => schemas[`${method} ${route.url}`]).find((s) => s !== undefined);
    if (!schema) return;
    route.schema = { ...schema, ...route.schema };
    route.serializerCompiler ??= serialiseAsIs;
  };

/**
 * Like `attachSchemas`, for routes that check their own input and answer 422 naming the field:
 * the schemas describe them in the OpenAPI description and are never used to validate (which
 * would answer 400, and would need every body field typed).
 */
export const describeRoutes =
  (schemas: RouteSchemas) =>
  (route: RouteOptions): void => {
    attachSchemas(schemas)(route);
    if (route.schema !== undefined) route.validatorCompiler ??= () => () => true;
  };

/**
 * The OperationOutcome every error answer carries. Open (`additionalProperties`) at every level,
 * so serialisation never drops an element.
 */
export const OPERATION_OUTCOME_SCHEMA = {
  description:
    'FHIR OperationOutcome: each issue has severity, code, Nexo error code in details.coding, diagnostics and expression.',
  type: 'object',
  additionalProperties: true,
  properties: {
    resourceType: { type: 'string', enum: ['OperationOutcome'] },
    issue: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: true,
        properties: {
          severity: { type: 'string', enum: ['fatal', 'error', 'warning', 'information'] },
          code: { type: 'string' },
          diagnostics: { type: 'string' },
          expression: { type: 'array', items: { type: 'string' } },
          details: { type: 'object', additionalProperties: true },
        },
      },
    },
  },
  required: ['resourceType', 'issue'],
} as const;

/**
 * An object in an answer schema: open (`additionalProperties`), so a view's added elements are
 * never dropped; the properties listed are the ones a client can rely on.
 */
export const openObject = (
  description: string,
  properties: Record<string, unknown> = {},
  required: readonly string[] = [],
) => ({
  type: 'object',
  description,
  additionalProperties: true,
  properties,
  ...(required.length > 0 ? { required } : {}),
});

/**
 * A body for `describeRoutes`: its fields by name, each with a description and no type, so the
 * description never validates anything (the route checks the body and names the field itself).
 */
export const describedBody = (description: string, fields: Record<string, string>) => ({
  description,
  properties: Object.fromEntries(Object.entries(fields).map(([name, text]) => [name, { description: text }])),
});

/** The query of a paged list: `limit` and the `cursor` of the page before. */
export const PAGE_QUERY = {
  type: 'object',
  properties: {
    limit: { type: 'string', description: 'Page size, 1 to 100 (default 20).' },
    cursor: { type: 'string', description: 'The `next` of the previous page.' },
  },
} as const;

/**
 * An answer sent as `application/fhir+json`, or as `application/json` when the client's Accept
 * prefers that (negotiation.ts): the same JSON under either label.
 */
export const negotiatedJson = (description: string, schema: object) => ({
  description,
  content: Object.fromEntries(FHIR_MEDIA_TYPES.map((type) => [type, { schema }])),
});

/** An OperationOutcome answer (an error, or a FHIR route's success), labelled as Accept asks. */
export const OUTCOME_ANSWER = negotiatedJson(OPERATION_OUTCOME_SCHEMA.description, OPERATION_OUTCOME_SCHEMA);

/** Every error answer, client's or server's: an OperationOutcome, labelled as Accept asks. */
export const ERROR_ANSWERS = { '4xx': OUTCOME_ANSWER, '5xx': OUTCOME_ANSWER } as const;

const OUTCOME_AS_FHIR_JSON = {
  description: OPERATION_OUTCOME_SCHEMA.description,
  content: { [FHIR_MEDIA_TYPES[0]]: { schema: OPERATION_OUTCOME_SCHEMA } },
};

/**
 * The error answers of a route that answers something other than JSON (a PDF: its config's
 * `produces`): Accept is not negotiated there, and an error is always `application/fhir+json`.
 */
export const FHIR_JSON_ERROR_ANSWERS = { '4xx': OUTCOME_AS_FHIR_JSON, '5xx': OUTCOME_AS_FHIR_JSON } as const;

/**
 * A 401: the route's client-error answer with the challenge in `WWW-Authenticate`, one of
 * `challenges` (the values @nexo/auth sends).
 */
export const unauthenticatedAnswer = (clientError: object, challenges: readonly string[]) => ({
  ...clientError,
  description: 'Not authenticated: an OperationOutcome, and the challenge in WWW-Authenticate',
  headers: {
    'www-authenticate': {
      type: 'string',
      enum: [...challenges],
      description: 'The authentication challenge (RFC 9110 §11.6.1)',
    },
  },
});
