import { afterEach, describe, expect, it } from 'vitest';
import { SENDER, riaBundle, startHub, tempDataDir, type RunningHub } from './hub-harness.ts';

const PUBLIC_URL = 'https://nexo.saude.example';
const FORGED_HOST = 'evil.example';

/** A request to the hub's real port that names another host, as a client or a proxy could. */
const withHost = (
  hub: RunningHub,
  path: string,
  init: { method: string; headers?: Record<string, string>; body?: string },
) =>
  import('node:http').then(
    ({ request }) =>
      new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
        const url = new URL(`${hub.url}${path}`);
        const req = request(
          {
            host: url.hostname,
            port: url.port,
            path,
            method: init.method,
            headers: { ...init.headers, host: FORGED_HOST },
          },
          (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (body += chunk));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
          },
        );
        req.once('error', reject);
        req.end(init.body);
      }),
  );

describe('links the hub answers with follow NEXO_PUBLIC_URL, never the Host header', () => {
  const stops: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
  });

  const open = async () => {
    const data = tempDataDir();
    const hub = await startHub(data.dir, { publicUrl: PUBLIC_URL });
    stops.push(async () => {
      await hub.stop();
      data.remove();
    });
    return hub;
  };

  it('Location and Content-Location of a 201, under both FHIR bases', async () => {
    const hub = await open();
    for (const [base, identifier] of [
      ['/fhir/r4', 'LINKS-1'],
      ['/api/fhir/r4', 'LINKS-2'],
    ] as const) {
      const answer = await withHost(hub, `${base}/Bundle`, {
        method: 'POST',
        headers: {
          'content-type': 'application/fhir+json',
          authorization: `Bearer dev-establishment-${SENDER}`,
        },
        body: JSON.stringify(riaBundle({ identifier })),
      });
      expect(answer.status).toBe(201);
      expect(String(answer.headers.location)).toMatch(new RegExp(`^${PUBLIC_URL}${base}/Bundle/[\\w-]+$`));
      expect(answer.headers['content-location']).toBe(answer.headers.location);
    }
  });

  it('the CapabilityStatement’s implementation.url', async () => {
    const hub = await open();
    const answer = await withHost(hub, '/fhir/r4/metadata', { method: 'GET' });
    expect(answer.status).toBe(200);
    expect(answer.body).not.toContain(FORGED_HOST);
    expect(JSON.parse(answer.body)).toMatchObject({ implementation: { url: `${PUBLIC_URL}/fhir/r4` } });
  });
});
