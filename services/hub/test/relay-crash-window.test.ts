/**
 * The relay's crash window, end to end on embedded engines: real events from real ingest are
 * relayed from a store's outbox to a second SQLite log (standing in for Kafka) that the real
 * projector consumes. The relay publishes, then crashes before marking; the restarted relay
 * publishes the same events again, and the read models do not change — the projector is
 * idempotent per stream version.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  OutboxRelay,
  openEmbeddedTopic,
  openSqliteEventStore,
  type Outbox,
  type StoredEvent,
} from '@nexo/eventstore';
import { openSqliteReadStore, type ReadStore, type StoredDocument } from '@nexo/readstore';
import { COLLECTIONS, PROJECTOR_GROUP } from '@nexo/domain';
import { rebuildReadModels, startProjector } from '@nexo/projector';
import { waitFor } from '@nexo/testkit';
import { example, recordIdOf, riaBundle, startHub, tempDataDir } from './hub-harness.ts';

/** Every read-model document the events can have produced, by collection and id. */
const snapshot = async (readStore: ReadStore, events: readonly StoredEvent[]) => {
  const ids = (pick: (data: Record<string, unknown>) => unknown) => [
    ...new Set(
      events.flatMap((event) => {
        const id = pick((event.data ?? {}) as Record<string, unknown>);
        return typeof id === 'string' ? [id] : [];
      }),
    ),
  ];
  const citizens = [...new Set(events.map((event) => event.citizenKey).filter((key) => key !== ''))];
  const read = (collection: string, keys: readonly string[]): Promise<StoredDocument[]> =>
    readStore.getMany(collection, keys);
  return {
    citizens: await read(COLLECTIONS.citizenRecords, citizens),
    records: await read(
      COLLECTIONS.records,
      ids((data) => data.recordId),
    ),
    rejections: await read(
      COLLECTIONS.rejections,
      ids((data) => data.rejectionId),
    ),
  };
};

const bodies = (documents: Awaited<ReturnType<typeof snapshot>>) =>
  Object.fromEntries(
    Object.entries(documents).map(([name, list]) => [
      name,
      list.map((document) => [document.id, document.body]),
    ]),
  );

describe('relay crash window (publish acked, mark lost) on embedded engines', () => {
  const hubData = tempDataDir();
  const relayData = tempDataDir();
  afterAll(() => {
    hubData.remove();
    relayData.remove();
  });

  it('republishes after the crash and leaves the projection unchanged', async () => {
    // Real domain events: a record, its resend, a second record and its replacement, a rejection.
    const hub = await startHub(hubData.dir);
    expect((await hub.post('/fhir/r4/Bundle', example('ria-r'))).status).toBe(201);
    expect((await hub.post('/fhir/r4/Bundle', example('ria-r'))).status).toBe(201);
    const second = await hub.post('/fhir/r4/Bundle', riaBundle({ identifier: 'crash-1', lot: 'LOT-A' }));
    expect(second.status).toBe(201);
    const replacement = riaBundle({ identifier: 'crash-1', lot: 'LOT-B', replaces: recordIdOf(second) });
    expect((await hub.post('/fhir/r4/Bundle', replacement)).status).toBe(201);
    expect((await hub.post('/fhir/r4/Bundle', { resourceType: 'Bundle', type: 'collection' })).status).toBe(
      422,
    );
    await hub.hub.projector.caughtUp();
    await hub.stop();
    const hubLog = openSqliteEventStore({ file: join(hubData.dir, 'events.sqlite'), outbox: false });
    const events = await hubLog.store.readAll(0, 1_000);
    await hubLog.close();
    expect(new Set(events.map((event) => event.type))).toEqual(
      new Set(['RecordSubmitted', 'ResendIgnored', 'RecordReplaced', 'SubmissionRejected']),
    );

    // The same events appended to a store whose outbox feeds the relay.
    const source = openSqliteEventStore({ file: join(relayData.dir, 'events.db'), outbox: true });
    for (const { stream, version, position: _p, recordedAt: _r, ...event } of events) {
      await source.store.append(stream, version - 1, [event]);
    }
    expect(await source.outbox.depth()).toBe(events.length);
    const topic = openEmbeddedTopic({ file: join(relayData.dir, 'topic.db'), pollIntervalMs: 20 });
    const readStore = openSqliteReadStore({ file: join(relayData.dir, 'read.db') });
    const projector = await startProjector({ bus: topic.bus, store: source.store, readStore });

    // The relay publishes, Kafka (here the topic) acks, and the process dies before the mark.
    const crashing: Outbox = {
      pending: (limit) => source.outbox.pending(limit),
      depth: () => source.outbox.depth(),
      markPublished: () => Promise.reject(new Error('process killed between the ack and the mark')),
    };
    const first = new OutboxRelay(crashing, topic.publisher, { pollIntervalMs: 10, retryDelayMs: 60_000 });
    first.start();
    await waitFor('the first publication', () => first.status().consecutiveFailures > 0);
    await first.stop();
    expect(await topic.deliveries()).toBe(events.length);
    expect(await source.outbox.depth()).toBe(events.length);
    await projector.caughtUp();
    const before = await snapshot(readStore, events);
    expect(await readStore.getCheckpoint(PROJECTOR_GROUP)).toBeDefined();

    // The restarted relay finds the same events in the outbox and publishes them again.
    const restarted = new OutboxRelay(source.outbox, topic.publisher, { pollIntervalMs: 10 });
    restarted.start();
    await restarted.drained(await source.store.headPosition());
    await restarted.stop();
    expect(await topic.deliveries()).toBe(2 * events.length);
    expect(await source.outbox.depth()).toBe(0);
    await projector.caughtUp();
    const after = await snapshot(readStore, events);

    // Nothing changed, not even a revision; and it is what a rebuild from the log projects.
    expect(after).toEqual(before);
    expect(before.citizens).toHaveLength(1);
    expect(before.records.length).toBeGreaterThanOrEqual(3);
    expect(before.rejections).toHaveLength(1);
    const rebuilt = openSqliteReadStore({ file: join(relayData.dir, 'rebuilt.db') });
    await rebuildReadModels(source.store, rebuilt);
    expect(bodies(await snapshot(rebuilt, events))).toEqual(bodies(after));

    await projector.stop();
    for (const closable of [rebuilt, readStore, topic, source]) await closable.close();
  });
});
