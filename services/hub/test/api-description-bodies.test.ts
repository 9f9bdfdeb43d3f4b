import { beforeAll, describe, expect, it } from 'vitest';
import { CITIZEN_CNS, REGISTRY_TOKEN, SENDER } from './hub-harness.ts';
import { ADMIN_TOKEN, secureHubPerSuite } from './security-harness.ts';

interface Operation {
  security?: Array<Record<string, unknown>>;
  requestBody?: { content: Record<string, unknown> };
}

type Paths = Record<string, Record<string, Operation>>;

const FHIR_JSON = 'application/fhir+json';
const PLAIN_JSON = 'application/json';
const DSTU2_JSON = 'application/json+fhir';
const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPES = [FHIR_JSON, PLAIN_JSON, DSTU2_JSON];

/** The media types a body is sent under here: the JSON ones, the form, and some the hub refuses. */
const CANDIDATES: Record<string, string> = {
  [FHIR_JSON]: '{}',
  [PLAIN_JSON]: '{}',
  [DSTU2_JSON]: '{}',
  [FORM]: 'grant_type=none',
  'application/fhir+xml': '<Bundle xmlns="http://hl7.org/fhir"/>',
  'application/xml': '<Bundle/>',
  'text/plain': '{}',
  'multipart/form-data; boundary=x': '--x--\r\n',
};

const MEDIA_TYPE_REFUSED = {
  resourceType: 'OperationOutcome',
  issue: [{ details: { coding: [{ code: 'NEXO_ERR_MEDIA_TYPE' }] } }],
};

/** A token of each security scheme: a request must get past authentication to reach the body parser. */
const TOKENS: Record<string, string | undefined> = {
  citizenToken: `dev-citizen-cns-${CITIZEN_CNS}`,
  establishmentToken: `dev-establishment-${SENDER}`,
  adminToken: ADMIN_TOKEN,
  registryToken: REGISTRY_TOKEN,
};

const PARAMS: Record<string, string> = { cnes: SENDER, personId: 'p-1', protocol: '2026-000001' };

const concrete = (path: string) => path.replace(/\{(\w+)\}/g, (_, name: string) => PARAMS[name] ?? name);

const schemeOf = (operation: Operation) => Object.keys(operation.security?.[0] ?? {})[0];

describe('the OpenAPI description lists exactly the media types each request body is accepted under', () => {
  const hub = secureHubPerSuite({
    mode: 'development',
    env: { NEXO_AUTH_RATE_LIMIT: '1000', NEXO_REFUSED_AUTH_LIMIT: '1000' },
  });
  let base = '';

  beforeAll(async () => {
    await hub().register(SENDER);
    await hub().hub.app.listen({ host: '127.0.0.1', port: 0 });
    const address = hub().hub.app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  const bodies = async () => {
    const { paths } = (await (await fetch(`${base}/docs/json`)).json()) as { paths: Paths };
    return Object.entries(paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([, operation]) => operation.requestBody !== undefined)
        .map(([method, operation]) => ({
          label: `${method.toUpperCase()} ${path}`,
          method: method.toUpperCase(),
          path,
          scheme: schemeOf(operation),
          listed: Object.keys(operation.requestBody!.content),
        })),
    );
  };

  it('lists FHIR’s application/fhir+json first on every FHIR POST, with plain JSON and the DSTU2 name', async () => {
    const fhir = (await bodies()).filter(({ path }) => /^\/(api\/)?fhir\//.test(path));
    expect(fhir.map(({ label }) => label).sort()).toEqual([
      'POST /api/fhir/r4/Bundle',
      'POST /api/fhir/r4/Bundle/$validate',
      'POST /fhir/r4/Bundle',
      'POST /fhir/r4/Bundle/$validate',
    ]);
    for (const { label, listed } of fhir) expect(listed, label).toEqual(JSON_TYPES);
  });

  it('lists, for every body, the media types a live request is accepted under (not 415), and no other', async () => {
    const described = await bodies();
    expect(described.length).toBeGreaterThan(15);
    for (const { label, method, path, scheme, listed } of described) {
      const token = scheme === undefined ? undefined : TOKENS[scheme];
      const accepted: string[] = [];
      for (const [type, body] of Object.entries(CANDIDATES)) {
        const answer = await fetch(`${base}${concrete(path)}`, {
          method,
          headers: { 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body,
        });
        const answered = await answer.text();
        // Past authentication, so a 415 is the body parser's answer and nothing else is.
        expect(answer.status, `${label} ${type}`).not.toBe(401);
        expect(answer.status, `${label} ${type}`).toBeLessThan(500);
        if (answer.status !== 415) accepted.push(type);
        else expect(JSON.parse(answered), `${label} ${type}`).toMatchObject(MEDIA_TYPE_REFUSED);
      }
      expect(accepted.sort(), label).toEqual([...listed].sort());
    }
  });
});
