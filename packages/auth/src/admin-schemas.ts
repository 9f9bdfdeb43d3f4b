/**
 * OpenAPI words for the establishment registry's admin routes (`describeRoutes`). The bodies'
 * fields carry descriptions, not types: the routes refuse an unknown field or a wrong type
 * themselves with a 422 naming it, which a schema's validation (a 400) would take over.
 */
import { ERROR_ANSWERS, describedBody, openObject, type RouteSchemas } from '@nexo/runtime';

const CNES_PARAM = {
  type: 'object',
  properties: { cnes: { type: 'string', description: 'The establishment’s CNES (7 digits)' } },
};

const IDENTIFIERS = (what: string) => ({ type: 'array', items: { type: 'string' }, description: what });
const CNPJS = IDENTIFIERS('CNPJs it may author REL documents under');
const CNSS = IDENTIFIERS('CNSs (self-employed professionals) it may author REL documents under');

/** The secret is answered once: only its hash is kept, and no cache may keep the answer. */
const CREDENTIALS = {
  ...openObject(
    'The client credentials for `POST /auth/token`; the secret is shown only in this answer',
    {
      clientId: { type: 'string', description: 'The CNES' },
      clientSecret: { type: 'string', description: '32 random bytes, base64url' },
      name: { type: 'string' },
    },
    ['clientId', 'clientSecret', 'name'],
  ),
  headers: {
    'cache-control': { type: 'string', description: '`no-store`' },
    pragma: { type: 'string', description: '`no-cache`' },
  },
};

const INACTIVE = '404 `NEXO_ERR_NOT_FOUND` at `cnes` when the CNES has no active registration.';

const ERRORS =
  '401 `NEXO_ERR_UNAUTHENTICATED` without the admin token; 422 naming the field for an invalid CNES, an ' +
  'unknown body field or a value of the wrong type; 429 past `NEXO_AUTH_RATE_LIMIT` a minute per address.';

export const ADMIN_ROUTE_SCHEMAS: RouteSchemas = {
  'POST /admin/v1/establishments': {
    summary: 'Register an establishment; its client secret is answered once',
    description: `409 \`NEXO_ERR_ESTABLISHMENT_EXISTS\` when the CNES is registered already. ${ERRORS}`,
    body: describedBody('The establishment; no other field is taken', {
      cnes: 'Required: the CNES, 7 digits',
      name: 'Required: 1 to 200 printable characters',
      cnpj: 'Optional: a list of CNPJs it may author REL documents under',
      cns: 'Optional: a list of CNSs it may author REL documents under',
    }),
    response: { 201: CREDENTIALS, ...ERROR_ANSWERS },
  },
  'GET /admin/v1/establishments/:cnes': {
    summary: 'An establishment’s registration',
    description: `404 \`NEXO_ERR_NOT_FOUND\` when no establishment is registered with this CNES. ${ERRORS}`,
    params: CNES_PARAM,
    response: {
      200: openObject(
        'The registration',
        {
          clientId: { type: 'string', description: 'The CNES' },
          name: { type: 'string' },
          active: { type: 'boolean', description: 'False once disabled' },
          cnpj: CNPJS,
          cns: CNSS,
        },
        ['clientId', 'name', 'active', 'cnpj', 'cns'],
      ),
      ...ERROR_ANSWERS,
    },
  },
  'POST /admin/v1/establishments/:cnes/secret': {
    summary: 'Rotate the client secret: the old one and the tokens obtained with it stop working',
    description: `No body. ${INACTIVE} ${ERRORS}`,
    params: CNES_PARAM,
    response: { 200: CREDENTIALS, ...ERROR_ANSWERS },
  },
  'POST /admin/v1/establishments/:cnes/disable': {
    summary: 'Disable an establishment: no new tokens, and the ones it holds are refused',
    description: `${INACTIVE} ${ERRORS}`,
    params: CNES_PARAM,
    body: describedBody('Why; no other field is taken', {
      reason: 'Required: 1 to 500 printable characters, kept in the registry’s log',
    }),
    response: {
      200: openObject(
        'The registration is disabled',
        { clientId: { type: 'string' }, active: { type: 'boolean', enum: [false] } },
        ['clientId', 'active'],
      ),
      ...ERROR_ANSWERS,
    },
  },
  'PUT /admin/v1/establishments/:cnes/authors': {
    summary: 'Replace the CNPJs and CNSs the establishment may author REL documents under',
    description: `The whole list each time: an identity left out stops being accepted as an author. ${INACTIVE} ${ERRORS}`,
    params: CNES_PARAM,
    optionalBody: true,
    body: describedBody(
      'The lists; a missing one is empty (so is each without a body), and no other field is taken',
      {
        cnpj: 'A list of CNPJs (14 characters, check digits), at most 50',
        cns: 'A list of CNSs (15 digits, check digit), at most 50',
      },
    ),
    response: {
      200: openObject('The lists now in force', { clientId: { type: 'string' }, cnpj: CNPJS, cns: CNSS }, [
        'clientId',
        'cnpj',
        'cns',
      ]),
      ...ERROR_ANSWERS,
    },
  },
};
