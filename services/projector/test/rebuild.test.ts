/** A rebuild holds commits in memory and flushes them in large ones: it must still equal the live state. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  openSqliteEventStore,
  type EventStore,
  type NewEvent,
  type SqliteEventEngine,
} from '@nexo/eventstore';
import { openSqliteReadStore, type ReadStore } from '@nexo/readstore';
import { COLLECTIONS, PROJECTOR_GROUP, READ_MODEL_INDEXES } from '@nexo/domain';
import { projectBatch, rebuildReadModels, startProjector } from '../src/index.ts';

const SENDER = '2077485';
const CITIZENS = 4;

const tempFolder = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'nexo-projector-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
};

const recordEvent = (type: string, n: number, citizenKey: string, extra: object): NewEvent => ({
  id: `0190a000-0000-7000-8000-${String(n).padStart(12, '0')}`,
  type,
  schemaVersion: 1,
  occurredAt: '2026-01-01T00:00:00.000Z',
  sender: SENDER,
  citizenKey,
  correlationId: `c-${n}`,
  data: {
    recordId: `record-${n}`,
    recordType: 'RIA',
    model: 'RIA-R',
    bundleIdentifier: { system: 'urn:test', value: `bundle-${n}` },
    citizen: { kind: 'CNS', number: citizenKey.slice(4) },
    documentDate: '2026-01-01',
    contentHash: `hash-${n}`,
    document: { resourceType: 'Bundle', n },
    summary: { recordType: 'RIA', occurrence: `2025-01-${String((n % 28) + 1).padStart(2, '0')}` },
    ...extra,
  },
});

/** Submissions for a few citizens; every third is replaced, every fifth replacement cancelled. */
const writeLog = async (store: EventStore): Promise<void> => {
  for (let n = 1; n <= 30; n++) {
    const citizenKey = `cns:70000000000000${n % CITIZENS}`;
    const stream = `submission-${n}`;
    await store.append(stream, 0, [recordEvent('RecordSubmitted', n, citizenKey, {})]);
    if (n % 3 !== 0) continue;
    const replaced = recordEvent('RecordReplaced', 100 + n, citizenKey, { replaces: `record-${n}` });
    await store.append(stream, 1, [replaced]);
    if (n % 5 !== 0) continue;
    const cancels = `record-${100 + n}`;
    await store.append(stream, 2, [recordEvent('RecordCancelled', 200 + n, citizenKey, { cancels })]);
  }
};

/** The log of writeLog in an event store of a temporary folder, closed when the test ends. */
const loggedEvents = async (): Promise<{ dir: string; events: SqliteEventEngine }> => {
  const dir = tempFolder();
  const events = await openSqliteEventStore({ file: join(dir, 'events.sqlite') });
  onTestFinished(() => events.close());
  await writeLog(events.store);
  return { dir, events };
};

const everything = async (readStore: ReadStore) => {
  const citizens = Array.from({ length: CITIZENS }, (_, i) => `cns:70000000000000${i}`);
  const records = Array.from({ length: 230 }, (_, i) => `record-${i + 1}`);
  const bodies = async (collection: string, ids: string[]) =>
    (await readStore.getMany(collection, ids)).map((d) => [d.id, d.body]);
  return {
    citizens: await bodies(COLLECTIONS.citizenRecords, citizens),
    records: await bodies(COLLECTIONS.records, records),
    // The index rows too (written on the writer thread when the store has one).
    bySender: (
      await readStore.find({ collection: COLLECTIONS.records, field: 'sender', value: SENDER, limit: 1_000 })
    ).documents.map((d) => d.id),
    checkpoint: await readStore.getCheckpoint(PROJECTOR_GROUP),
  };
};

describe('rebuildReadModels', () => {
  it('equals the live projection, however small its cache and batches', async () => {
    const { dir, events } = await loggedEvents();
    const live = openSqliteReadStore({ file: join(dir, 'live.sqlite') });
    onTestFinished(() => live.close());
    await live.ensureIndexes(READ_MODEL_INDEXES);
    for (const event of await events.store.readAll(0, 1_000))
      await projectBatch(live, [event], PROJECTOR_GROUP);
    const expected = await everything(live);
    expect(expected.citizens).toHaveLength(CITIZENS);
    expect(expected.records).toHaveLength(30 + 10 + 2);

    // The rebuild `pnpm replay` runs commits on the store's writer thread while it projects on.
    for (const [options, writerThread] of [
      [{}, false],
      [{ batchSize: 3, cacheCapacity: 2 }, false],
      [{}, true],
      [{ batchSize: 3, cacheCapacity: 2 }, true],
    ] as const) {
      const file = join(dir, `rebuilt-${'batchSize' in options ? 3 : 0}-${writerThread}.sqlite`);
      const rebuilt = openSqliteReadStore({ file, writerThread });
      onTestFinished(() => rebuilt.close());
      await rebuilt.commit([
        { kind: 'put', collection: COLLECTIONS.records, id: 'left-over', expectedRevision: 0, body: {} },
      ]);
      const progress = await rebuildReadModels(events.store, rebuilt, options);
      expect(progress).toEqual({ position: 42, head: 42, events: 42, stillFailing: [] });
      expect(await everything(rebuilt)).toEqual(expected);
      expect(await rebuilt.get(COLLECTIONS.records, 'left-over')).toBeUndefined();
    }
  });

  it('killed half-way, is finished by the next projector start: no record goes missing for good', async () => {
    const { events, readModels, expected } = await projectedToTheHead();
    // A replay dies after its third batch (its cache flushing every 2 documents).
    let reads = 0;
    const dying: EventStore = {
      ...events.store,
      readAll: async (after, limit) => {
        if (++reads > 3) throw new Error('killed');
        return events.store.readAll(after, limit);
      },
    };
    await expect(rebuildReadModels(dying, readModels, { batchSize: 4, cacheCapacity: 2 })).rejects.toThrow(
      'killed',
    );
    expect((await everything(readModels)).records.length).toBeLessThan(expected.records.length);

    await runProjector(events, readModels);
    expect(await everything(readModels)).toEqual(expected);
  });

  it('stops when a flush fails just before a dead letter, never taking the failure for the letter', async () => {
    const { dir, events } = await loggedEvents();
    const target = openSqliteReadStore({ file: join(dir, 'rebuilt.sqlite') });
    onTestFinished(() => target.close());
    const corrupt = Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' });
    // The first commit with documents fails at once, as a SQLite store's does, before its caller
    // goes on; the others succeed, so only the failure can stop the rebuild.
    let failed = false;
    const failing: ReadStore = {
      ...target,
      commit: async (writes, checkpoint) => {
        if (writes.length > 0 && !failed) {
          failed = true;
          throw corrupt;
        }
        await target.commit(writes, checkpoint);
      },
    };
    // Events 1 and 2 fill the cache (its first flush fails); event 3 is a dead letter planned next.
    const rebuilding = rebuildReadModels(events.store, failing, {
      batchSize: 4,
      cacheCapacity: 2,
      deadLetters: new Set([3]),
    });
    await expect(rebuilding).rejects.toBe(corrupt);
  });

  it('cleared read models over a log that has events are rebuilt at the next projector start', async () => {
    const { events, readModels, expected } = await projectedToTheHead();
    await readModels.clear();

    await runProjector(events, readModels);
    expect(await everything(readModels)).toEqual(expected);
  });

  it('rebuilds at start through the target it is given to open (a writer thread), and closes it', async () => {
    const { events, readModels, expected, file } = await projectedToTheHead();
    await readModels.clear();
    const targets: { commits: number; closed: boolean }[] = [];
    const openRebuildTarget = async (): Promise<ReadStore> => {
      const target = openSqliteReadStore({ file, writerThread: true });
      const seen = { commits: 0, closed: false };
      targets.push(seen);
      return {
        ...target,
        commit: (writes, checkpoint) => {
          seen.commits++;
          return target.commit(writes, checkpoint);
        },
        close: async () => {
          seen.closed = true;
          await target.close();
        },
      };
    };

    await runProjector(events, readModels, openRebuildTarget);
    // The rebuild's mark, its flush, the mark again.
    expect(targets).toEqual([{ commits: 3, closed: true }]);
    expect(await everything(readModels)).toEqual(expected);
  });
});

/** Starts the projector, lets it catch up with the log, and stops it. */
const runProjector = async (
  events: SqliteEventEngine,
  readModels: ReadStore,
  openRebuildTarget?: () => Promise<ReadStore>,
): Promise<void> => {
  const projector = await startProjector({
    bus: events.bus,
    store: events.store,
    readStore: readModels,
    ...(openRebuildTarget ? { openRebuildTarget } : {}),
  });
  await projector.caughtUp();
  await projector.stop();
};

/**
 * A log and read models the live projector has followed to the head (its checkpoint in the log
 * is there too), with what they hold.
 */
const projectedToTheHead = async () => {
  const { dir, events } = await loggedEvents();
  const file = join(dir, 'read-models.sqlite');
  const readModels = openSqliteReadStore({ file });
  onTestFinished(() => readModels.close());
  await runProjector(events, readModels);
  return { events, readModels, file, expected: await everything(readModels) };
};
