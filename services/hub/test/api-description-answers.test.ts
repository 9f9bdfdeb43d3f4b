import { beforeAll, describe, expect, it } from 'vitest';
import { CITIZEN_CNS, REGISTRY_TOKEN, SENDER } from './hub-harness.ts';
import { ADMIN_TOKEN, secureHubPerSuite } from './security-harness.ts';

interface Answer {
  content?: Record<string, unknown>;
  headers?: Record<string, { schema: { enum?: string[] } }>;
}

interface Operation {
  security?: Array<Record<string, unknown>>;
  requestBody?: { required?: boolean };
  responses: Record<string, Answer>;
}

type Paths = Record<string, Record<string, Operation>>;

const FHIR_JSON = 'application/fhir+json';
const PLAIN_JSON = 'application/json';
const BOTH = [FHIR_JSON, PLAIN_JSON];
const CERTIFICATE = '/citizen/v1/me/certificates/covid-19';
const BEARER = 'Bearer realm="nexo"';
const INVALID_TOKEN = 'Bearer realm="nexo", error="invalid_token"';
const BASIC = 'Basic realm="nexo"';

const CITIZEN = { authorization: `Bearer dev-citizen-cns-${CITIZEN_CNS}` };
const ESTABLISHMENT = { authorization: `Bearer dev-establishment-${SENDER}` };

/** A token of each security scheme, for the requests that must get past authentication. */
const TOKENS: Record<string, string | undefined> = {
  citizenToken: `dev-citizen-cns-${CITIZEN_CNS}`,
  establishmentToken: `dev-establishment-${SENDER}`,
  adminToken: ADMIN_TOKEN,
  registryToken: REGISTRY_TOKEN,
};

/** Path parameters the routes read as well formed: a registered CNES, a protocol number. */
const PARAMS: Record<string, string> = { cnes: SENDER, personId: 'p-1', protocol: '2026-000001', id: 'r-1' };

const concrete = (path: string) => path.replace(/\{(\w+)\}/g, (_, name: string) => PARAMS[name] ?? name);

const operationsOf = (paths: Paths) =>
  Object.entries(paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, operation]) => ({ method, path, operation })),
  );

const schemeOf = (operation: Operation) => Object.keys(operation.security?.[0] ?? {})[0];

const mediaType = (headers: Record<string, unknown>) => String(headers['content-type']).split(';')[0];

describe('the OpenAPI description says what the hub sends: media types, optional bodies, WWW-Authenticate', () => {
  const hub = secureHubPerSuite({
    mode: 'development',
    env: { NEXO_AUTH_RATE_LIMIT: '1000', NEXO_REFUSED_AUTH_LIMIT: '1000' },
  });

  beforeAll(async () => {
    await hub().register(SENDER);
  });

  const paths = async () => ((await hub().request({ url: '/docs/json' })).json() as { paths: Paths }).paths;

  const send = async (method: string, url: string, headers: Record<string, string> = {}) => {
    const answer = await hub().hub.app.inject({ method: method.toUpperCase() as 'GET', url, headers });
    return { status: answer.statusCode, headers: answer.headers, json: () => answer.json() as unknown };
  };

  it('labels every error answer application/fhir+json or application/json, as Accept asks; the PDF route’s always FHIR JSON', async () => {
    const described = operationsOf(await paths()).flatMap(({ method, path, operation }) =>
      Object.entries(operation.responses)
        .filter(([status]) => /^(401|4XX|5XX)$/.test(status))
        .map(([status, answer]) => [`${method} ${path} ${status}`, Object.keys(answer.content ?? {})]),
    );
    expect(described.length).toBeGreaterThan(80);
    for (const [label, types] of described)
      expect(types, String(label)).toEqual(String(label).includes(CERTIFICATE) ? [FHIR_JSON] : BOTH);

    // What the hub sends by default and under `Accept: application/json`: an unknown bundle, no
    // token, an unknown protocol; the certificate's refusals stay FHIR JSON.
    const refusals: Array<[string, Record<string, string>, number, string, string]> = [
      ['/fhir/r4/Bundle/r-1', ESTABLISHMENT, 404, FHIR_JSON, PLAIN_JSON],
      ['/establishment/v1/submissions', {}, 401, FHIR_JSON, PLAIN_JSON],
      ['/citizen/v1/me/correction-requests/2026-000001', CITIZEN, 404, FHIR_JSON, PLAIN_JSON],
      ['/identity/v1/persons/p-1', {}, 401, FHIR_JSON, PLAIN_JSON],
      [`${CERTIFICATE}?format=xml`, CITIZEN, 400, FHIR_JSON, FHIR_JSON],
      [CERTIFICATE, {}, 401, FHIR_JSON, FHIR_JSON],
    ];
    for (const [url, headers, status, byDefault, asked] of refusals) {
      const fhir = await send('get', url, headers);
      const plain = await send('get', url, { ...headers, accept: 'application/json' });
      expect([fhir.status, mediaType(fhir.headers)], url).toEqual([status, byDefault]);
      expect([plain.status, mediaType(plain.headers)], url).toEqual([status, asked]);
      expect(plain.json(), url).toMatchObject({ resourceType: 'OperationOutcome' });
    }
  });

  it('labels the FHIR routes’ answers both ways too, the certificate PDF or JSON, and the other APIs’ answers application/json', async () => {
    const successes = Object.fromEntries(
      operationsOf(await paths()).flatMap(({ method, path, operation }) =>
        Object.entries(operation.responses)
          .filter(([status]) => /^2\d\d$/.test(status))
          .map(([status, answer]) => [`${method} ${path} ${status}`, Object.keys(answer.content ?? {})]),
      ),
    );
    for (const [label, types] of Object.entries(successes)) {
      const expected = /^\w+ \/(api\/)?fhir\//.test(label)
        ? BOTH
        : label.includes(CERTIFICATE)
          ? ['application/pdf', PLAIN_JSON]
          : label.includes('/metrics')
            ? []
            : [PLAIN_JSON];
      expect(types, label).toEqual(expected);
    }
    const capability = await send('get', '/fhir/r4/metadata');
    const plainCapability = await send('get', '/fhir/r4/metadata', { accept: 'application/json' });
    expect([capability.status, mediaType(capability.headers)]).toEqual([200, FHIR_JSON]);
    expect([plainCapability.status, mediaType(plainCapability.headers)]).toEqual([200, PLAIN_JSON]);
    const card = await send('get', '/citizen/v1/me/immunizations', { ...CITIZEN, accept: FHIR_JSON });
    expect([card.status, mediaType(card.headers)]).toEqual([200, PLAIN_JSON]);
  });

  it('describes as optional exactly the bodies a route also takes absent: a citizen’s confirmation, the REL authors’ lists', async () => {
    const withBody = operationsOf(await paths()).filter(({ operation }) => operation.requestBody);
    expect(withBody.length).toBeGreaterThan(15);
    const describedOptional: string[] = [];
    const takenAbsent: string[] = [];
    for (const { method, path, operation } of withBody) {
      const label = `${method.toUpperCase()} ${path}`;
      if (operation.requestBody!.required === false) describedOptional.push(label);
      else expect(operation.requestBody!.required, label).toBe(true);
      const scheme = schemeOf(operation);
      const token = scheme === undefined ? undefined : TOKENS[scheme];
      const answer = await send(method, concrete(path), token ? { authorization: `Bearer ${token}` } : {});
      // A route that needs its body refuses the request without one (400 or 422 naming the body
      // or a field); one that takes it absent goes on (2xx, or 404 for the unknown protocol).
      expect(answer.status, label).not.toBe(401);
      if (![400, 422].includes(answer.status)) takenAbsent.push(label);
    }
    expect(describedOptional).toEqual(takenAbsent);
    expect(describedOptional.sort()).toEqual([
      'POST /citizen/v1/me/correction-requests/{protocol}/confirm',
      'PUT /admin/v1/establishments/{cnes}/authors',
    ]);
  });

  it('models WWW-Authenticate on the 401 of every route that takes a token, with the challenges the hub sends', async () => {
    const operations = operationsOf(await paths());
    const secured = operations.filter(({ operation }) => schemeOf(operation) !== undefined);
    const challenged = operations.filter(({ operation }) => operation.responses['401'] !== undefined);
    expect(challenged.map(({ method, path }) => `${method} ${path}`)).toEqual(
      secured.map(({ method, path }) => `${method} ${path}`),
    );
    expect(secured.length).toBeGreaterThan(30);
    for (const { method, path, operation } of secured) {
      const label = `${method.toUpperCase()} ${path}`;
      const header = operation.responses['401']!.headers?.['www-authenticate'];
      if (path === '/auth/token') {
        expect(header?.schema.enum, label).toEqual([BASIC]);
        continue;
      }
      expect(header?.schema.enum, label).toEqual([BEARER, INVALID_TOKEN]);
      const none = await send(method, concrete(path));
      const forged = await send(method, concrete(path), { authorization: 'Bearer not-a-token' });
      expect([none.status, none.headers['www-authenticate']], label).toEqual([401, BEARER]);
      expect([forged.status, forged.headers['www-authenticate']], label).toEqual([401, INVALID_TOKEN]);
    }
    const grant = `grant_type=client_credentials&client_id=${SENDER}&client_secret=wrong`;
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const basic = `Basic ${Buffer.from(`${SENDER}:wrong`).toString('base64')}`;
    const inForm = await hub().hub.app.inject({
      method: 'POST',
      url: '/auth/token',
      headers: form,
      payload: grant,
    });
    const inBasic = await hub().hub.app.inject({
      method: 'POST',
      url: '/auth/token',
      headers: { ...form, authorization: basic },
      payload: 'grant_type=client_credentials',
    });
    // Credentials in the form or in Basic: the endpoint asks for client credentials, not a token.
    expect([inForm.statusCode, inForm.headers['www-authenticate']]).toEqual([401, BASIC]);
    expect([inBasic.statusCode, inBasic.headers['www-authenticate']]).toEqual([401, BASIC]);
  });

  it('describes the success answer of every operation, and the 503 of /ready', async () => {
    const operations = operationsOf(await paths());
    const withoutSuccess = operations
      .filter(({ operation }) => !Object.keys(operation.responses).some((status) => /^2\d\d$/.test(status)))
      .map(({ method, path }) => `${method.toUpperCase()} ${path}`);
    expect(withoutSuccess).toEqual([]);

    const me = await send('get', '/citizen/v1/me', CITIZEN);
    expect([me.status, mediaType(me.headers)]).toEqual([200, PLAIN_JSON]);
    const described = (await paths())['/citizen/v1/me']!.get!.responses['200']!;
    expect(Object.keys(described.content ?? {})).toEqual([PLAIN_JSON]);

    const ready = (await paths())['/ready']!.get!.responses;
    expect(Object.keys(ready['5XX']?.content ?? {})).toEqual(BOTH);
    const health = await send('get', '/health');
    expect([health.status, health.json()]).toEqual([200, { status: 'pass' }]);
  });
});
