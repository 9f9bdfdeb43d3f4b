import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@nexo/runtime';
import { OTHER_SENDER, openIngest, refusal, riaBundle, type IngestUnderTest } from './ingest-harness.ts';

const cancelled = (message: string) => refusal(422, 'NEXO_ERR_RECORD_CANCELLED', message);

/**
 * A replacement or cancellation that may not be made says what became of the record it names:
 * a cancelled record is answered as cancelled (422 NEXO_ERR_RECORD_CANCELLED), never as "replaced,
 * fetch the current version", since a cancelled record has no current version.
 */
describe('refused replacements and cancellations over HTTP', () => {
  let ingest: IngestUnderTest;
  beforeAll(async () => {
    ingest = await openIngest({ projector: true });
  });
  afterAll(() => ingest.close());

  it('replacing or cancelling again a cancelled record is 422 NEXO_ERR_RECORD_CANCELLED', async () => {
    const original = await ingest.accepted(riaBundle('cancelled-1', { lot: 'WRONG' }));
    const cancellation = await ingest.accepted(
      riaBundle('cancelled-1', { lot: 'WRONG', replaces: original, cancels: true }),
    );

    expect(await ingest.post(riaBundle('cancelled-1', { lot: 'RIGHT', replaces: original }))).toEqual(
      cancelled(
        `record ${original} is no longer current: it was cancelled by record ${cancellation}. A cancelled record cannot be replaced; send the corrected content as a new document, under a new Bundle.identifier.`,
      ),
    );
    expect(
      await ingest.post(riaBundle('cancelled-1', { lot: 'OTHER', replaces: original, cancels: true })),
    ).toEqual(
      cancelled(
        `record ${original} is no longer current: it was cancelled by record ${cancellation}. The record is already cancelled; there is nothing left to cancel.`,
      ),
    );
    expect(await ingest.post(riaBundle('cancelled-1', { lot: 'RIGHT', replaces: cancellation }))).toEqual(
      cancelled(
        `record ${cancellation} is the cancellation of record ${original}. A cancelled record cannot be replaced; send the corrected content as a new document, under a new Bundle.identifier.`,
      ),
    );
  });

  it('cancelling a replaced record is 422 NEXO_ERR_STALE_REPLACEMENT naming the version to cancel', async () => {
    const original = await ingest.accepted(riaBundle('replaced-1', { lot: 'WRONG' }));
    const replacement = await ingest.accepted(riaBundle('replaced-1', { lot: 'RIGHT', replaces: original }));
    expect(
      await ingest.post(riaBundle('replaced-1', { lot: 'WRONG', replaces: original, cancels: true })),
    ).toEqual(
      refusal(
        422,
        'NEXO_ERR_STALE_REPLACEMENT',
        `record ${original} is no longer current: it was replaced by record ${replacement}, the current version. Cancel the current version instead (relatesTo targetReference "Composition/${replacement}").`,
      ),
    );
  });

  it('a replacement naming a record that does not exist is 422 NEXO_ERR_UNKNOWN_TARGET', async () => {
    const missing = newId();
    expect(await ingest.post(riaBundle('never-used-1', { replaces: missing }))).toEqual(
      refusal(
        422,
        'NEXO_ERR_UNKNOWN_TARGET',
        `no document was accepted under this Bundle.identifier, so it holds no record ${missing} to replace. A replacement must carry the Bundle.identifier of the record it replaces and name that record's id (the last segment of the Location Nexo returned for it).`,
      ),
    );
  });

  // The records read model lags every 201 here (it follows the log only when the routes wait for
  // it): what it does not hold yet must be waited for, not answered as unknown.
  it("a replacement naming another establishment's record accepted a moment ago is 403, not 422 UNKNOWN_TARGET", async () => {
    const theirs = await ingest.accepted(riaBundle('theirs-1', { author: OTHER_SENDER }), OTHER_SENDER);
    expect(await ingest.post(riaBundle('mine-1', { lot: 'HIJACK', replaces: theirs }))).toEqual(
      refusal(
        403,
        'NEXO_ERR_FORBIDDEN',
        `record ${theirs} was sent by another establishment; only its sender may replace or cancel it.`,
      ),
    );
  });

  it("a replacement naming the sender's record under another Bundle.identifier, accepted a moment ago, is 422 BUSINESS_RULE", async () => {
    const own = await ingest.accepted(riaBundle('own-1'));
    expect(await ingest.post(riaBundle('own-2', { lot: 'RIGHT', replaces: own }))).toEqual(
      refusal(
        422,
        'NEXO_ERR_BUSINESS_RULE',
        `record ${own} was sent under another Bundle.identifier; a replacement must carry the Bundle.identifier of the record it replaces.`,
        'Bundle.identifier',
      ),
    );
  });
});
