import { describe, expect, it } from 'vitest';
import { REGISTRY_TOKEN } from './hub-harness.ts';
import { ADMIN_TOKEN, secureHubPerSuite } from './security-harness.ts';

interface Operation {
  summary?: string;
  tags?: string[];
  security?: unknown[];
  requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> };
  responses: Record<string, { content?: Record<string, unknown>; headers?: Record<string, unknown> }>;
}

interface Spec {
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, { type: string; scheme: string }> };
}

const ADMIN = [{ adminToken: [] }];
const REGISTRY = [{ registryToken: [] }];
const ERRORS = ['4XX', '5XX'];
/** A route taking a token or credentials also describes its 401, with WWW-Authenticate. */
const REFUSALS = ['401', ...ERRORS];
/** The media types the edge's JSON parser reads (api-description-bodies.test.ts sends each). */
/** Bodies that are not FHIR resources list plain JSON first; the edge reads each of these. */
const JSON_TYPES = ['application/json', 'application/fhir+json', 'application/json+fhir'];
const FORM = 'application/x-www-form-urlencoded';

/** Each route of the token, admin and identity-feed APIs: method, path, tag, security, answers, body types. */
const ROUTES: Array<[string, string, string, unknown[] | undefined, string[], string[]]> = [
  [
    'post',
    '/auth/token',
    'auth',
    [{ establishmentClient: [] }, {}],
    ['200', ...REFUSALS],
    [FORM, ...JSON_TYPES],
  ],
  ['get', '/dev-issuer/.well-known/jwks.json', 'auth', undefined, ['200', ...ERRORS], []],
  ['get', '/dev-issuer/.well-known/openid-configuration', 'auth', undefined, ['200', ...ERRORS], []],
  ['post', '/dev-issuer/login', 'auth', undefined, ['200', ...ERRORS], [...JSON_TYPES, FORM]],
  ['post', '/admin/v1/establishments', 'admin', ADMIN, ['201', ...REFUSALS], JSON_TYPES],
  ['get', '/admin/v1/establishments/{cnes}', 'admin', ADMIN, ['200', ...REFUSALS], []],
  ['post', '/admin/v1/establishments/{cnes}/secret', 'admin', ADMIN, ['200', ...REFUSALS], []],
  ['post', '/admin/v1/establishments/{cnes}/disable', 'admin', ADMIN, ['200', ...REFUSALS], JSON_TYPES],
  ['put', '/admin/v1/establishments/{cnes}/authors', 'admin', ADMIN, ['200', ...REFUSALS], JSON_TYPES],
  ['post', '/identity/v1/persons', 'identity', REGISTRY, ['200', '201', ...REFUSALS], JSON_TYPES],
  [
    'post',
    '/identity/v1/persons/{personId}/identifiers',
    'identity',
    REGISTRY,
    ['200', ...REFUSALS],
    JSON_TYPES,
  ],
  ['post', '/identity/v1/persons/{personId}/unlink', 'identity', REGISTRY, ['200', ...REFUSALS], JSON_TYPES],
  ['post', '/identity/v1/persons/{personId}/merge', 'identity', REGISTRY, ['200', ...REFUSALS], JSON_TYPES],
  ['get', '/identity/v1/persons/{personId}', 'identity', REGISTRY, ['200', ...REFUSALS], []],
];

describe('the OpenAPI description of the token, admin and identity-feed routes (development mode, admin token set)', () => {
  const hub = secureHubPerSuite({ mode: 'development' });

  const spec = async () => (await hub().request({ url: '/docs/json' })).json() as Spec;

  it('describes each route: tag, security, summary, answers with OperationOutcome errors, body media types', async () => {
    const { paths, components } = await spec();
    const described = Object.entries(paths)
      .filter(([path]) => /^\/(auth|dev-issuer|admin|identity)\//.test(path))
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method} ${path}`));
    expect(described.sort()).toEqual(ROUTES.map(([method, path]) => `${method} ${path}`).sort());
    for (const [method, path, tag, security, responses, bodyTypes] of ROUTES) {
      const operation = paths[path]![method]!;
      const label = `${method.toUpperCase()} ${path}`;
      expect(operation.tags, label).toEqual([tag]);
      expect(operation.security, label).toEqual(security);
      expect(operation.summary, label).toEqual(expect.any(String));
      expect(Object.keys(operation.responses).sort(), label).toEqual([...responses].sort());
      expect(Object.keys(operation.requestBody?.content ?? {}), label).toEqual(bodyTypes);
      const error = operation.responses['4XX']!.content!['application/json'] as { schema: unknown };
      expect(error.schema, label).toMatchObject({
        properties: { resourceType: { enum: ['OperationOutcome'] } },
      });
    }
    expect(components.securitySchemes.adminToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(components.securitySchemes.establishmentClient).toMatchObject({ type: 'http', scheme: 'basic' });
    const token = paths['/auth/token']!.post!;
    expect(
      Object.keys(token.requestBody!.content['application/x-www-form-urlencoded']!.schema.properties!),
    ).toEqual(['grant_type', 'client_id', 'client_secret']);
    expect(Object.keys(token.responses['200']!.headers!)).toEqual(['cache-control', 'pragma']);
  });

  it('leaves the routes their own answers to a malformed body: the status and code they gave before, naming the field', async () => {
    const outcome = (answer: { status: number; json: () => unknown }) => {
      const { issue } = answer.json() as {
        issue: Array<{ details: { coding: Array<{ code: string }> }; expression?: string[] }>;
      };
      return [answer.status, issue.map((i) => [i.details.coding[0]!.code, i.expression])];
    };
    const admin = await hub().request({
      url: '/admin/v1/establishments',
      token: ADMIN_TOKEN,
      body: { cnes: '9990011', name: 'UBS Centro', cnpjs: [] },
    });
    expect(outcome(admin)).toEqual([422, [['NEXO_ERR_VALIDATION_STRUCTURE', ['cnpjs']]]]);
    const merge = await hub().request({
      url: '/identity/v1/persons/p-1/merge',
      token: REGISTRY_TOKEN,
      body: { mergedPersonId: 5 },
    });
    expect(outcome(merge)).toEqual([422, [['NEXO_ERR_VALIDATION_STRUCTURE', ['mergedPersonId']]]]);
    const persons = await hub().request({ url: '/identity/v1/persons', token: REGISTRY_TOKEN, body: [] });
    expect(outcome(persons)).toEqual([422, [['NEXO_ERR_VALIDATION_REQUIRED', ['$']]]]);
    const grant = await hub().request({
      url: '/auth/token',
      body: 'grant_type=password&client_id=9990011',
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(outcome(grant)).toEqual([400, [['NEXO_ERR_UNPARSABLE', ['grant_type']]]]);
    const login = await hub().request({ url: '/dev-issuer/login', body: { cpf: 12345678909 } });
    expect(outcome(login)).toEqual([422, [['NEXO_ERR_VALIDATION_IDENTIFIER', ['cpf']]]]);
  });
});
