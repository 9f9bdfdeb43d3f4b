import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openIngest, refusal, reserialised, riaBundle, type IngestUnderTest } from './ingest-harness.ts';

const SYSTEM = 'http://www.saude.gov.br/fhir/r4/NamingSystem/BRRNDS-99';
const conflict = (identifier: string, advice: string) =>
  refusal(
    422,
    'NEXO_ERR_IDENTIFIER_CONFLICT',
    `Bundle.identifier ${SYSTEM}|${identifier} was already used by this sender for a document with other content (a resend must repeat the accepted document exactly: a new Bundle.timestamp, meta or fullUrl is other content). ${advice}`,
    'Bundle.identifier',
  );

/**
 * A sender's software that writes a document again for a retry (a new timestamp, new fullUrls) sends
 * other content under the same Bundle.identifier: refused, never an overwrite (docs/senders.md). The
 * refusal names the record the identifier holds, so the sender can replace it.
 */
describe('the same Bundle.identifier with other content', () => {
  let ingest: IngestUnderTest;
  beforeAll(async () => {
    ingest = await openIngest({ projector: false });
  });
  afterAll(() => ingest.close());

  it('a re-serialised retry is 422 naming the current record and how to replace it; the replacement built from it is accepted', async () => {
    const document = riaBundle('retried-1');
    const original = await ingest.accepted(document);
    const retry = reserialised(document, '2025-03-10T10:15:00-03:00');
    expect(await ingest.post(retry)).toEqual(
      conflict(
        'retried-1',
        `Its current record is ${original}: to replace it, send this document with Composition.relatesTo {code "replaces", targetReference "Composition/${original}"}; to record it as another document, send it under a new Bundle.identifier.`,
      ),
    );
    const replacement = await ingest.accepted(riaBundle('retried-1', { replaces: original }));
    expect(await ingest.post(reserialised(document, '2025-03-10T10:20:00-03:00'))).toEqual(
      conflict(
        'retried-1',
        `Its current record is ${replacement}: to replace it, send this document with Composition.relatesTo {code "replaces", targetReference "Composition/${replacement}"}; to record it as another document, send it under a new Bundle.identifier.`,
      ),
    );
  });

  it('under a cancelled identifier, the 422 says it was cancelled and to send a new identifier', async () => {
    const document = riaBundle('retried-2');
    const original = await ingest.accepted(document);
    const cancellation = await ingest.accepted(riaBundle('retried-2', { replaces: original, cancels: true }));
    expect(await ingest.post(reserialised(document, '2025-03-10T10:15:00-03:00'))).toEqual(
      conflict(
        'retried-2',
        `The record sent under it was cancelled by record ${cancellation}, and a cancelled record cannot be replaced; send this document under a new Bundle.identifier.`,
      ),
    );
  });

  it('two identifiers that differ by a lone surrogate are not one submission: each is refused for it', async () => {
    // Hashed as UTF-8, each lone surrogate became U+FFFD: the second identifier once reached the
    // first's stream, where a new document was a reuse and a replacement replaced the first's record.
    const first = riaBundle('surrogate-\ud800', { lot: 'LOTA' });
    const notText = refusal(
      422,
      'NEXO_ERR_VALIDATION_STRUCTURE',
      'Bundle.identifier.value is not Unicode text: it has a lone UTF-16 surrogate (a \\uD800–\\uDFFF escape without its pair), which FHIR JSON, in UTF-8, cannot carry.',
      'Bundle.identifier.value',
    );
    expect(await ingest.post(first)).toEqual(notText);
    expect(await ingest.post(riaBundle('surrogate-\udfff', { lot: 'LOTB' }))).toEqual(notText);
  });
});
