import { request as httpRequest, type ClientRequest } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { openEngines } from '@nexo/runtime';
import { SENDER, riaBundle, startHub, tempDataDir } from './hub-harness.ts';

const IN_FLIGHT = 12;

interface Pending {
  readonly request: ClientRequest;
  readonly rest: Buffer;
  readonly answer: Promise<{ status: number; location: string }>;
}

/** A POST whose headers and first half of the body are sent now; `rest` finishes it. */
const startPost = (port: number, body: Buffer): Pending => {
  const request = httpRequest({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: '/fhir/r4/Bundle',
    headers: {
      'content-type': 'application/fhir+json',
      'content-length': body.length,
      authorization: `Bearer dev-establishment-${SENDER}`,
      connection: 'close',
    },
  });
  const answer = new Promise<{ status: number; location: string }>((resolve, reject) => {
    request.on('error', reject);
    request.on('response', (response) => {
      response.resume();
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, location: String(response.headers.location ?? '') }),
      );
    });
  });
  const half = Math.floor(body.length / 2);
  request.write(body.subarray(0, half));
  return { request, rest: body.subarray(half), answer };
};

describe('graceful shutdown', () => {
  const data = tempDataDir();
  afterAll(() => data.remove());

  it('requests in flight when close() is called all complete with 201, and their events are in the log', async () => {
    const hub = await startHub(data.dir);
    const port = Number(new URL(hub.url).port);
    let arrived = 0;
    const allArrived = new Promise<void>((resolve) =>
      // The server has read their headers: fastify has routed them; their bodies are still coming.
      hub.hub.app.server.on('request', () => {
        if (++arrived === IN_FLIGHT) resolve();
      }),
    );
    const pending = Array.from({ length: IN_FLIGHT }, (_, i) =>
      startPost(
        port,
        Buffer.from(JSON.stringify(riaBundle({ identifier: `shutdown-${i}`, lot: `LOT${i}` }))),
      ),
    );
    await allArrived;

    const closed = hub.stop();
    for (const p of pending) p.request.end(p.rest);
    const answers = await Promise.all(pending.map((p) => p.answer));
    await closed;

    expect(answers.map((a) => a.status)).toEqual(Array.from({ length: IN_FLIGHT }, () => 201));
    const answeredIds = answers.map((a) => a.location.split('/').at(-1)).sort();
    expect(new Set(answeredIds).size).toBe(IN_FLIGHT);

    // Reopened from the files: every record answered 201 is a durable RecordSubmitted.
    const engines = await openEngines({ dataDir: data.dir });
    try {
      const events = await engines.store.readAll(0, 1_000);
      const recorded = events
        .filter((e) => e.type === 'RecordSubmitted')
        .map((e) => (e.data as { recordId: string }).recordId)
        .sort();
      expect(recorded).toEqual(answeredIds);
    } finally {
      await engines.close();
    }
  });
});
