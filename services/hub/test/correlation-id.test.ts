import { describe, expect, it } from 'vitest';
import { SENDER, hubPerSuite, riaBundle } from './hub-harness.ts';

const REQUEST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A sender follows a call of theirs through the events it recorded and the audit entries of its
 * reads by the `X-Correlation-Id` it sent; a value that is not a short token (it could break a log
 * line or carry anything) is replaced by the request id.
 */
describe('the correlation id a sender sends', () => {
  const hub = hubPerSuite();
  const headers = (correlationId: string) => ({
    authorization: `Bearer dev-establishment-${SENDER}`,
    'x-correlation-id': correlationId,
  });

  /** Submits a document and reads it back, both under `correlationId`: what the log and the audit kept. */
  const submitAndRead = async (identifier: string, correlationId: string) => {
    const { app, engines, security } = hub().hub;
    const sent = await app.inject({
      method: 'POST',
      url: '/fhir/r4/Bundle',
      headers: { ...headers(correlationId), 'content-type': 'application/fhir+json' },
      payload: JSON.stringify(riaBundle({ identifier })),
    });
    expect(sent.statusCode).toBe(201);
    const recordId = String(sent.headers.location).split('/').at(-1) ?? '';
    const read = await app.inject({ url: `/fhir/r4/Bundle/${recordId}`, headers: headers(correlationId) });
    expect(read.statusCode).toBe(200);
    const submitted = (await engines.store.readAll(0, 10_000)).filter(
      (event) => event.type === 'RecordSubmitted',
    );
    const audited = (await security.trail.log.read(0, 100_000)).filter(
      (entry) => entry.resource === `/fhir/r4/Bundle/${recordId}`,
    );
    return { event: submitted.at(-1)?.correlationId, audit: audited.map((entry) => entry.correlationId) };
  };

  it('is carried into the recorded events and the audit entries', async () => {
    expect(await submitAndRead('correlation-1', 'lab-run.42:retry_1')).toEqual({
      event: 'lab-run.42:retry_1',
      audit: ['lab-run.42:retry_1'],
    });
  });

  it('is replaced by the request id when it is not a short token', async () => {
    for (const [identifier, value] of [
      ['correlation-2', 'has spaces; and semicolons'],
      ['correlation-3', 'x'.repeat(129)],
    ] as const) {
      const { event, audit } = await submitAndRead(identifier, value);
      expect(event).toMatch(REQUEST_ID);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatch(REQUEST_ID);
    }
  });
});
