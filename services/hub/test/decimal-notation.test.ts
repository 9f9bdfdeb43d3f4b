import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { example, recordIdOf, startHub, tempDataDir, type RunningHub } from './hub-harness.ts';

const LABORATORY = '9990022';
const token = `dev-establishment-${LABORATORY}`;
const RESULT = 'http://www.saude.gov.br/fhir/r4/CodeSystem/BRResultadoQualitativoExame';

/**
 * The national REL example as a quantitative result, written as JSON text with the value's
 * notation as given: what a sender's serialiser puts on the wire.
 */
const quantitativeRel = (identifier: string, valueNotation: string): string => {
  const bundle = example('rel-qualitativo') as {
    identifier: { value: string };
    entry: Array<{ resource: Record<string, unknown> }>;
  };
  bundle.identifier.value = identifier;
  const observation = bundle.entry[1]?.resource ?? {};
  delete observation.valueCodeableConcept;
  observation.valueQuantity = { value: '__VALUE__', unit: 'mg/dL' };
  observation.interpretation = [{ coding: [{ system: RESULT, code: '1' }] }];
  return JSON.stringify(bundle).replace('"__VALUE__"', valueNotation);
};

/**
 * docs/senders.md: a JSON number is content by its value, as Nexo keeps it. A resend that differs
 * only in how a number is written is the same document; another value is other content.
 */
describe('a number written another way in a resend', () => {
  const data = tempDataDir();
  let hub: RunningHub;
  const post = (text: string) =>
    fetch(`${hub.url}/fhir/r4/Bundle`, {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json', authorization: `Bearer ${token}` },
      body: text,
    });
  const diagnosticsOf = async (response: Response) =>
    ((await response.json()) as { issue: Array<{ diagnostics: string }> }).issue.map((i) => i.diagnostics);

  beforeAll(async () => {
    hub = await startHub(data.dir);
  });
  afterAll(async () => {
    await hub.stop();
    data.remove();
  });

  it('5.0, then 5.00, 5 or 50e-1 is a resend of the same record, kept and answered as 5', async () => {
    const first = await post(quantitativeRel('decimal-1', '5.0'));
    expect(first.status).toBe(201);
    const recordId = recordIdOf(first);
    for (const notation of ['5.00', '5', '50e-1']) {
      const again = await post(quantitativeRel('decimal-1', notation));
      expect([again.status, recordIdOf(again), await diagnosticsOf(again)], notation).toEqual([
        201,
        recordId,
        [`resend of record ${recordId}: nothing changed`],
      ]);
    }
    const stored = (await (await hub.get(`/fhir/r4/Bundle/${recordId}`, token)).json()) as {
      entry: Array<{ resource: { valueQuantity?: unknown } }>;
    };
    expect(stored.entry[1]?.resource.valueQuantity).toEqual({ value: 5, unit: 'mg/dL' });
  });

  it('the log keeps the document as the text it was posted in, its notation included', async () => {
    const text = quantitativeRel('decimal-3', '5.0');
    expect((await post(text)).status).toBe(201);
    const log = new Database(join(data.dir, 'events.sqlite'), { readonly: true });
    try {
      const documents = log.prepare('SELECT document FROM events WHERE document IS NOT NULL').pluck().all();
      expect(documents).toContain(text);
    } finally {
      log.close();
    }
  });

  it('another value under the same identifier is other content: 422, never a resend', async () => {
    expect((await post(quantitativeRel('decimal-2', '5.0'))).status).toBe(201);
    const changed = await post(quantitativeRel('decimal-2', '5.01'));
    expect(changed.status).toBe(422);
    expect(((await changed.json()) as { issue: Array<{ details: unknown }> }).issue[0]?.details).toEqual({
      coding: [expect.objectContaining({ code: 'NEXO_ERR_IDENTIFIER_CONFLICT' })],
    });
  });
});
