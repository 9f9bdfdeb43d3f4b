/**
 * A request about a version its establishment had already replaced or cancelled. The citizen asks
 * from read models a few milliseconds behind the log, so the route's check that the record is
 * current can pass on a version the log has just superseded: the log then holds the replacement
 * before the request. The request is opened here as the route opens it once its check passed.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteReadStore } from '@nexo/readstore';
import { rebuildReadModels } from '@nexo/projector';
import { openCorrectionRequest } from '@nexo/citizen';
import { COLLECTIONS, type CorrectionRequestView, type RecordEntry } from '@nexo/domain';
import { newId } from '@nexo/runtime';
import { SENDER, hubPerSuite, recordIdOf, riaBundle, tempDataDir } from './hub-harness.ts';

const CNS = '266764941990004';

describe('a correction request about a version already replaced or cancelled', () => {
  const running = hubPerSuite();

  const send = async (bundle: Record<string, unknown>) => {
    const answer = await running().post('/fhir/r4/Bundle', bundle);
    expect(answer.status).toBe(201);
    return recordIdOf(answer);
  };
  const openAbout = async (recordId: string) => {
    const { engines } = running().hub;
    const entry = await engines.readStore.get<RecordEntry>(COLLECTIONS.records, recordId);
    const { protocol } = await openCorrectionRequest(
      { store: engines.store, readStore: engines.readStore, clock: () => new Date(), newId },
      {
        recordId,
        recordType: 'RIA',
        establishment: SENDER,
        citizenKey: entry?.body.citizenKey ?? '',
        message: 'The lot is wrong.',
      },
      newId(),
    );
    return protocol;
  };
  const linkedTo = async (protocol: string, readStore = running().hub.engines.readStore) => {
    await running().hub.projector.caughtUp();
    const view = await readStore.get<CorrectionRequestView>(COLLECTIONS.correctionRequests, protocol);
    return view?.body.linkedRecords.map((linked) => [linked.kind, linked.recordId]);
  };

  let replaced: string;
  let replacing: string;
  let cancelled: string;
  let cancelling: string;

  it('is linked to the replacement the log already held, and to the corrections after it', async () => {
    replaced = await send(riaBundle({ identifier: 'order-1', cns: CNS, lot: 'A1' }));
    await running().hub.projector.caughtUp();
    replacing = await send(riaBundle({ identifier: 'order-1', cns: CNS, lot: 'A2', replaces: replaced }));
    const protocol = await openAbout(replaced);
    expect(await linkedTo(protocol)).toEqual([['replacement', replacing]]);
    const third = await send(riaBundle({ identifier: 'order-1', cns: CNS, lot: 'A3', replaces: replacing }));
    expect(await linkedTo(protocol)).toEqual([
      ['replacement', replacing],
      ['replacement', third],
    ]);
  });

  it('is linked to the cancellation the log already held', async () => {
    cancelled = await send(riaBundle({ identifier: 'order-2', cns: CNS, lot: 'B1' }));
    await running().hub.projector.caughtUp();
    cancelling = await send(
      riaBundle({
        identifier: 'order-2',
        cns: CNS,
        lot: 'B1',
        replaces: cancelled,
        status: 'entered-in-error',
      }),
    );
    const protocol = await openAbout(cancelled);
    expect(await linkedTo(protocol)).toEqual([['cancellation', cancelling]]);
  });

  it('rebuilt from the log, the requests are linked the same', async () => {
    await running().hub.projector.caughtUp();
    const scratch = tempDataDir();
    const rebuilt = openSqliteReadStore({ file: join(scratch.dir, 'rebuilt.sqlite') });
    await rebuildReadModels(running().hub.engines.store, rebuilt);
    const live = running().hub.engines.readStore;
    for (const recordId of [replaced, replacing, cancelled]) {
      const byRecord = async (store: typeof live) =>
        (await store.get(COLLECTIONS.correctionsByRecord, recordId))?.body;
      expect(await byRecord(rebuilt), recordId).toEqual(await byRecord(live));
    }
    const protocols = (await live.get<{ protocols: string[] }>(COLLECTIONS.correctionsByRecord, replaced))
      ?.body.protocols;
    for (const protocol of protocols ?? [])
      expect(await linkedTo(protocol, rebuilt)).toEqual(await linkedTo(protocol));
    expect(protocols).toHaveLength(1);
    await rebuilt.close();
    scratch.remove();
  });
});
