import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { NEXO_ERROR_SYSTEM } from '@nexo/fhir';
import { SENDER, citizenToken, hubPerSuite, tempDataDir } from './hub-harness.ts';
import { buildStandaloneServices, type StandaloneServices } from './standalone-services.ts';

const sender = `dev-establishment-${SENDER}`;

/** The whole answer to a path the router cannot decode: a 400 OperationOutcome naming the path. */
const badPath = (path: string) => ({
  status: 400,
  type: 'application/fhir+json; charset=utf-8',
  body: {
    resourceType: 'OperationOutcome',
    issue: [
      {
        severity: 'error',
        code: 'structure',
        details: {
          coding: [
            {
              system: NEXO_ERROR_SYSTEM,
              code: 'NEXO_ERR_UNPARSABLE',
              display:
                'the request cannot be read: a body that is not JSON (UTF-8), or a malformed query parameter',
            },
          ],
        },
        diagnostics: `the path ${path} cannot be read: a %-escape in it is not valid UTF-8 once decoded; encode each path segment as UTF-8 percent-escapes.`,
      },
    ],
  },
});

const BODY_LIMIT = 4096;

const CASES: ReadonlyArray<readonly [string, string]> = [
  ['/fhir/r4/Bundle/%ff', sender],
  ['/api/fhir/r4/Bundle/%E0%A4%A', sender],
  ['/citizen/v1/me/correction-requests/%ff', citizenToken()],
];

describe('a path that cannot be decoded is an OperationOutcome on every service, not fastify’s JSON', () => {
  const hub = hubPerSuite();

  it('the hub, over a real port, answers it 400 naming the path and writes no audit entry', async () => {
    const log = hub().hub.security.trail.log;
    const before = (await log.read(0, 100_000)).length;
    for (const [path, token] of CASES) {
      const response = await fetch(`${hub().url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      expect(
        { status: response.status, type: response.headers.get('content-type'), body: await response.json() },
        path,
      ).toEqual(badPath(path));
    }
    // It reached no route: no data was named, no token checked (docs/security.md, audit trail).
    expect((await log.read(0, 100_000)).length).toBe(before);
  });

  describe('the ingest and citizen services on their own', () => {
    const data = tempDataDir();
    const apps: Record<'ingest' | 'citizen', FastifyInstance | undefined> = {
      ingest: undefined,
      citizen: undefined,
    };
    let services: StandaloneServices | undefined;
    beforeAll(async () => {
      // A small body limit, to show each service applies the configured one (not fastify's 1 MiB).
      services = await buildStandaloneServices(data.dir, { NEXO_BODY_LIMIT: String(BODY_LIMIT) });
      apps.ingest = services.ingest;
      apps.citizen = services.citizen;
    });
    afterAll(async () => {
      await services?.close();
      data.remove();
    });

    it.each([
      ['ingest', ...CASES[0]!],
      ['ingest', ...CASES[1]!],
      ['citizen', ...CASES[2]!],
    ] as const)('%s answers %s 400 naming the path', async (service, path, token) => {
      const app = apps[service];
      if (!app) throw new Error(`${service} did not start`);
      const response = await app.inject({
        method: 'GET',
        url: path,
        headers: { authorization: `Bearer ${token}` },
      });
      expect({
        status: response.statusCode,
        type: response.headers['content-type'],
        body: response.json(),
      }).toEqual(badPath(path));
    });

    it.each([
      ['ingest', '/fhir/r4/Bundle', sender],
      ['citizen', '/citizen/v1/me/correction-requests', citizenToken()],
    ] as const)('%s refuses a body over NEXO_BODY_LIMIT 413', async (service, url, token) => {
      const app = apps[service];
      if (!app) throw new Error(`${service} did not start`);
      const response = await app.inject({
        method: 'POST',
        url,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ pad: 'x'.repeat(BODY_LIMIT) }),
      });
      expect(response.statusCode).toBe(413);
      expect(response.json()).toMatchObject({
        resourceType: 'OperationOutcome',
        issue: [{ details: { coding: [{ code: 'NEXO_ERR_TOO_LARGE' }] } }],
      });
    });
  });
});
