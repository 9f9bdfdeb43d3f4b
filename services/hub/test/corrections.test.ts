import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OTHER_SENDER,
  citizenToken,
  recordIdOf,
  riaBundle,
  startHub,
  tempDataDir,
  type RunningHub,
} from './hub-harness.ts';

const codeOf = async (response: Response): Promise<string | undefined> =>
  ((await response.json()) as { issue: Array<{ details?: { coding?: Array<{ code: string }> } }> }).issue[0]
    ?.details?.coding?.[0]?.code;

const card = async (hub: RunningHub) => {
  await hub.hub.projector.caughtUp();
  const body = (await (await hub.get('/citizen/v1/me/immunizations', citizenToken())).json()) as {
    immunizations: Array<{ recordId: string; immunization: { lotNumber?: string } }>;
  };
  return body.immunizations.map((i) => [i.recordId, i.immunization.lotNumber]);
};

describe('corrections and resends over HTTP', () => {
  const data = tempDataDir();
  let hub: RunningHub;
  beforeAll(async () => {
    hub = await startHub(data.dir);
  });
  afterAll(async () => {
    await hub.stop();
    data.remove();
  });

  it('20 concurrent resends of one bundle make exactly one record, all answered with its id', async () => {
    const bundle = riaBundle({ identifier: 'concurrent-1', lot: 'LOT-C' });
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => hub.post('/fhir/r4/Bundle', bundle)),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(201));
    const ids = new Set(responses.map(recordIdOf));
    expect(ids.size).toBe(1);
    expect(await card(hub)).toEqual([[[...ids][0], 'LOT-C']]);
  });

  it('a replacement takes the original’s place; chained replacements follow; a stale one is 422', async () => {
    const original = await hub.post('/fhir/r4/Bundle', riaBundle({ identifier: 'fix-1', lot: 'WRONG' }));
    const originalId = recordIdOf(original);
    const replacement = await hub.post(
      '/fhir/r4/Bundle',
      riaBundle({ identifier: 'fix-1', lot: 'RIGHT', replaces: originalId }),
    );
    expect(replacement.status).toBe(201);
    const replacementId = recordIdOf(replacement);
    expect(replacementId).not.toBe(originalId);

    const stale = await hub.post(
      '/fhir/r4/Bundle',
      riaBundle({ identifier: 'fix-1', lot: 'OTHER', replaces: originalId }),
    );
    expect(stale.status).toBe(422);
    expect(await codeOf(stale)).toBe('NEXO_ERR_STALE_REPLACEMENT');

    const chained = await hub.post(
      '/fhir/r4/Bundle',
      riaBundle({ identifier: 'fix-1', lot: 'RIGHTER', replaces: replacementId }),
    );
    expect(chained.status).toBe(201);
    const rows = await card(hub);
    expect(rows.filter(([, lot]) => lot !== 'LOT-C')).toEqual([[recordIdOf(chained), 'RIGHTER']]);

    const old = await hub.get(`/fhir/r4/Bundle/${originalId}`, 'dev-establishment-9990011');
    expect(old.status).toBe(200);
    const oldBundle = (await old.json()) as { id: string; meta: { tag: Array<{ code: string }> } };
    expect(oldBundle.id).toBe(originalId);
    expect(oldBundle.meta.tag.at(-1)?.code).toBe('replaced');
  });

  it('a cancellation (entered-in-error + relatesTo) removes the record from the card', async () => {
    const original = await hub.post(
      '/fhir/r4/Bundle',
      riaBundle({ identifier: 'cancel-1', lot: 'CANCEL-ME' }),
    );
    await card(hub);
    const cancel = await hub.post(
      '/fhir/r4/Bundle',
      riaBundle({
        identifier: 'cancel-1',
        lot: 'CANCEL-ME',
        replaces: recordIdOf(original),
        status: 'entered-in-error',
      }),
    );
    expect(cancel.status).toBe(201);
    expect((await card(hub)).map(([, lot]) => lot)).not.toContain('CANCEL-ME');
    const status = (await (
      await hub.get(`/fhir/r4/Bundle/${recordIdOf(original)}`, 'dev-establishment-9990011')
    ).json()) as {
      meta: { tag: Array<{ code: string }> };
    };
    expect(status.meta.tag.at(-1)?.code).toBe('cancelled');
  });

  it('the same identifier with other content and no relatesTo is a 422 naming the identifier, never an overwrite', async () => {
    await hub.post('/fhir/r4/Bundle', riaBundle({ identifier: 'dup-1', lot: 'FIRST' }));
    const clash = await hub.post('/fhir/r4/Bundle', riaBundle({ identifier: 'dup-1', lot: 'SECOND' }));
    expect(clash.status).toBe(422);
    const outcome = (await clash.json()) as { issue: Array<{ diagnostics: string; expression: string[] }> };
    expect(outcome.issue[0]?.diagnostics).toMatch(/^\(EHR-ERR866\) .*dup-1/);
    expect(outcome.issue[0]?.expression).toEqual(['Bundle.identifier']);
    expect((await card(hub)).map(([, lot]) => lot)).toContain('FIRST');
    expect((await card(hub)).map(([, lot]) => lot)).not.toContain('SECOND');
  });

  it("another establishment cannot replace or read a sender's record: 403 on replace, 404 on read, and the attempt is recorded", async () => {
    const original = await hub.post('/fhir/r4/Bundle', riaBundle({ identifier: 'owned-1', lot: 'OWNED' }));
    const id = recordIdOf(original);
    await card(hub);
    const intruder = await hub.post(
      '/fhir/r4/Bundle',
      riaBundle({ identifier: 'owned-1', lot: 'HIJACK', author: OTHER_SENDER, replaces: id }),
      `dev-establishment-${OTHER_SENDER}`,
    );
    expect(intruder.status).toBe(403);
    expect(await codeOf(intruder)).toBe('NEXO_ERR_FORBIDDEN');
    const read = await hub.get(`/fhir/r4/Bundle/${id}`, `dev-establishment-${OTHER_SENDER}`);
    expect(read.status).toBe(404);
    await hub.hub.projector.caughtUp();
    const rejections = (await (
      await hub.get('/establishment/v1/rejections', `dev-establishment-${OTHER_SENDER}`)
    ).json()) as {
      rejections: Array<{ status: number }>;
    };
    expect(rejections.rejections.map((r) => r.status)).toEqual([403]);
    expect((await card(hub)).map(([, lot]) => lot)).not.toContain('HIJACK');
  });

  it('a token for one establishment cannot submit as another (Composition.author must match): 403', async () => {
    const response = await hub.post(
      '/fhir/r4/Bundle',
      riaBundle({ identifier: 'spoof-1', author: OTHER_SENDER }),
    );
    expect(response.status).toBe(403);
  });
});
