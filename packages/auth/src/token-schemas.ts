/**
 * OpenAPI words for the token routes (`describeRoutes`): the senders' client-credentials grant and
 * the development issuer. The bodies' fields carry descriptions, not types: the routes read the
 * form (or JSON object) themselves and answer 400 or 422 naming the field, which a schema's
 * validation would take over.
 */
import {
  ERROR_ANSWERS,
  PLAIN_JSON_FIRST,
  describedBody,
  openObject,
  unauthenticatedAnswer,
  type RouteSchemas,
} from '@nexo/runtime';
import { CHALLENGES } from './challenges.ts';
import { DEV_ISSUER_PATH } from './dev-issuer.ts';

const FORM = 'application/x-www-form-urlencoded';

/**
 * The form is what the national network's software sends; the routes read a JSON object the same
 * way, under each type the edge's JSON parser reads.
 */
const BODY_TYPES = [FORM, ...PLAIN_JSON_FIRST];

/** Answers carrying a token or a secret are never kept by a cache. */
const NO_STORE_HEADERS = {
  'cache-control': { type: 'string', description: '`no-store`' },
  pragma: { type: 'string', description: '`no-cache`' },
};

const RATE_LIMIT =
  '429 `NEXO_ERR_RATE_LIMITED` past `NEXO_AUTH_RATE_LIMIT` requests a minute (20 by default) from one address.';

const DEVELOPMENT_ONLY =
  'Development mode only (`NEXO_AUTH_MODE=development`): the route does not exist otherwise.';

const BEARER_ANSWER = {
  access_token: { type: 'string', description: 'An ES256 JWT; send it as `Authorization: Bearer <token>`' },
  token_type: { type: 'string', enum: ['Bearer'] },
  expires_in: { type: 'integer', description: 'Seconds until it expires' },
};

export const TOKEN_ROUTE_SCHEMAS: RouteSchemas = {
  'POST /auth/token': {
    summary: 'A sender token: the OAuth 2.0 client-credentials grant (client id = CNES)',
    description:
      'RFC 6749 §4.4. The client id (the CNES) and secret come in HTTP Basic (RFC 6749 §2.3.1, each URL-encoded) ' +
      'or as the form fields `client_id` and `client_secret`; Basic wins when both are sent. The token names the ' +
      'CNES and the registration and secret it was issued under: disabling the one or rotating the other ' +
      'revokes it. Errors are OperationOutcomes, not RFC 6749’s `{error}`: 400 `NEXO_ERR_UNPARSABLE` at ' +
      '`grant_type` for another grant; 401 `NEXO_ERR_UNAUTHENTICATED` when the id and secret match no active ' +
      'registration (with `WWW-Authenticate: Basic realm="nexo"`, however the credentials came); ' +
      RATE_LIMIT,
    tags: ['auth'],
    consumes: BODY_TYPES,
    // HTTP Basic, or nothing in the headers when the form carries the id and secret.
    security: [{ establishmentClient: [] }, {}],
    body: describedBody('The grant, as a form (or the same fields as a JSON object)', {
      grant_type: 'Required: `client_credentials`',
      client_id: 'The CNES (7 digits), unless sent in HTTP Basic',
      client_secret: 'The secret the registration answered, unless sent in HTTP Basic',
    }),
    response: {
      200: {
        ...openObject(
          'The token',
          {
            ...BEARER_ANSWER,
            expires_in: {
              type: 'integer',
              description: 'Seconds, `NEXO_TOKEN_TTL_SECONDS` (900 by default)',
            },
            scope: { type: 'string', enum: ['bundle.write bundle.read'] },
          },
          ['access_token', 'token_type', 'expires_in', 'scope'],
        ),
        headers: NO_STORE_HEADERS,
      },
      401: unauthenticatedAnswer(ERROR_ANSWERS['4xx'], [CHALLENGES.basic]),
      ...ERROR_ANSWERS,
    },
  },
  [`GET ${DEV_ISSUER_PATH}/.well-known/jwks.json`]: {
    summary: 'The development issuer’s public keys (JWKS)',
    description: DEVELOPMENT_ONLY,
    tags: ['auth'],
    response: {
      200: openObject('JWKS', { keys: { type: 'array', items: openObject('A public JWK', {}) } }, ['keys']),
      ...ERROR_ANSWERS,
    },
  },
  [`GET ${DEV_ISSUER_PATH}/.well-known/openid-configuration`]: {
    summary: 'The development issuer’s OpenID discovery document',
    description: DEVELOPMENT_ONLY,
    tags: ['auth'],
    response: {
      200: openObject(
        'OpenID Provider metadata',
        {
          issuer: { type: 'string', description: '`<NEXO_PUBLIC_URL>/dev-issuer`' },
          jwks_uri: { type: 'string' },
          token_endpoint: { type: 'string', description: 'The demo login' },
          subject_types_supported: { type: 'array', items: { type: 'string' } },
          id_token_signing_alg_values_supported: { type: 'array', items: { type: 'string' } },
        },
        ['issuer', 'jwks_uri', 'token_endpoint'],
      ),
      ...ERROR_ANSWERS,
    },
  },
  [`POST ${DEV_ISSUER_PATH}/login`]: {
    summary: 'Demo login: a citizen token for any valid CPF, without a password',
    description:
      `${DEVELOPMENT_ONLY} The token's subject is the CPF; the citizen API accepts it as ` +
      '`Authorization: Bearer`. 422 `NEXO_ERR_VALIDATION_IDENTIFIER` at `cpf` for a CPF without valid check ' +
      `digits; ${RATE_LIMIT}`,
    tags: ['auth'],
    consumes: [...PLAIN_JSON_FIRST, FORM],
    body: describedBody('The citizen', {
      cpf: 'Required: 11 digits with valid check digits, no punctuation',
    }),
    response: {
      200: {
        ...openObject('The citizen token', BEARER_ANSWER, ['access_token', 'token_type', 'expires_in']),
        headers: NO_STORE_HEADERS,
      },
      ...ERROR_ANSWERS,
    },
  },
};
