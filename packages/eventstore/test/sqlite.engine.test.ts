/** What only the embedded engine promises: group commit, in-process wake-up, a shared file. */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import { citizenKey, newEvent, newEvents, recorder, removeTempDir, tempDir, waitFor } from '@nexo/testkit';
import type { SqliteEventEngine, SqliteEventStoreOptions } from '../src/index.ts';
import { EVENTSTORE_ERRORS, openSqliteEventStore } from '../src/index.ts';

const openOnFile = async (options: Partial<SqliteEventStoreOptions> = {}) => {
  const dir = await tempDir();
  const file = join(dir, 'nested', 'events.db');
  const engines: SqliteEventEngine[] = [];
  const open = (): SqliteEventEngine => {
    const engine = openSqliteEventStore({ file, ...options });
    engines.push(engine);
    return engine;
  };
  onTestFinished(async () => {
    for (const engine of engines) await engine.close();
    await removeTempDir(dir);
  });
  return { file, open };
};

describe('sqlite event engine', () => {
  it('creates the file and its directory, in WAL mode', async () => {
    const { file, open } = await openOnFile();
    open();
    const inspector = new Database(file, { readonly: true });
    expect(inspector.pragma('journal_mode', { simple: true })).toBe('wal');
    inspector.close();
  });

  it('commits appends issued in the same tick together, isolating each failure to its caller', async () => {
    const { open } = await openOnFile();
    const engine = open();
    const taken = newEvent();
    await engine.store.append('taken', 0, [taken]);
    const outcomes = await Promise.allSettled([
      engine.store.append('a', 0, newEvents(2)),
      engine.store.append('b', 0, [newEvent(), newEvent({ id: taken.id })]),
      engine.store.append('taken', 0, [newEvent()]),
      engine.store.append('c', 0, newEvents(1)),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'fulfilled',
      'rejected',
      'rejected',
      'fulfilled',
    ]);
    expect(outcomes[2]).toMatchObject({ reason: { code: EVENTSTORE_ERRORS.concurrency } });
    const [a, , , c] = outcomes;
    if (a?.status !== 'fulfilled' || c?.status !== 'fulfilled') throw new Error('unreachable');
    // One transaction: one commit instant, and consecutive positions.
    const committed = [...a.value.events, ...c.value.events];
    expect(new Set(committed.map((event) => event.recordedAt)).size).toBe(1);
    expect(committed.map((event) => event.position)).toEqual([2, 3, 4]);
    expect(await engine.store.readStream('b')).toEqual([]);
  });

  it('commits appends queued before close, then refuses new ones', async () => {
    const { open } = await openOnFile();
    const engine = open();
    const appended = engine.store.append('record-1', 0, newEvents(2));
    await engine.close();
    expect((await appended).version).toBe(2);
    await expect(engine.store.append('record-1', 2, newEvents(1))).rejects.toThrow('closed');
    const reopened = open();
    expect(await reopened.store.readStream('record-1')).toEqual((await appended).events);
  });

  it('wakes a subscription on an append in this process without waiting for the poll', async () => {
    const { open } = await openOnFile({ pollIntervalMs: 60_000 });
    const engine = open();
    const consumer = recorder();
    const subscription = await engine.bus.subscribe('projector', consumer.handler);
    await subscription.caughtUp();
    await engine.store.append('record-1', 0, newEvents(1));
    await waitFor('the in-process wake-up', () => consumer.acknowledged.length === 1, 2_000);
    await subscription.stop();
  });

  it('lets events gather after a partial batch when the group lingers, and hands them over together', async () => {
    const { open } = await openOnFile({ pollIntervalMs: 60_000 });
    const engine = open();
    const consumer = recorder();
    const subscription = await engine.bus.subscribe('projector', consumer.handler, { lingerMs: 1_000 });
    await engine.store.append('record-0', 0, newEvents(1));
    await waitFor('the first event', () => consumer.acknowledged.length === 1, 2_000);
    // Three commits of their own, each waking the group were it not lingering after its last batch.
    for (let i = 1; i <= 3; i += 1) await engine.store.append(`record-${i}`, 0, newEvents(1));
    await waitFor('the three later events', () => consumer.acknowledged.length === 4, 3_000);
    expect(consumer.calls.map((batch) => batch.length)).toEqual([1, 3]);
    await subscription.stop();
  });

  it('ends the linger at once for a caller waiting for the group to catch up', async () => {
    const { open } = await openOnFile({ pollIntervalMs: 60_000 });
    const engine = open();
    const consumer = recorder();
    const subscription = await engine.bus.subscribe('projector', consumer.handler, { lingerMs: 600_000 });
    await engine.store.append('record-0', 0, newEvents(1));
    await waitFor('the first event', () => consumer.acknowledged.length === 1, 2_000);
    const [second] = newEvents(1);
    await engine.store.append('record-1', 0, [second!]);
    await subscription.caughtUp();
    expect(consumer.acknowledgedIds().at(-1)).toBe(second!.id);
    await subscription.stop();
  });

  it('delivers to a group in global log order, across citizen keys', async () => {
    const { open } = await openOnFile();
    const engine = open();
    for (let i = 0; i < 6; i += 1)
      await engine.store.append(`record-${i}`, 0, [newEvent({ citizenKey: citizenKey(i % 3) })]);
    const consumer = recorder();
    const subscription = await engine.bus.subscribe('projector', consumer.handler, { batchSize: 4 });
    await subscription.caughtUp();
    expect(consumer.acknowledged).toEqual(await engine.store.readAll(0, 100));
    await subscription.stop();
  });

  it('shares the file with a second process: its appends conflict and reach the bus by polling', async () => {
    const { open } = await openOnFile({ pollIntervalMs: 20 });
    const local = open();
    const remote = open();
    const consumer = recorder();
    const subscription = await local.bus.subscribe('projector', consumer.handler);
    await subscription.caughtUp();
    const { events } = await remote.store.append('record-1', 0, newEvents(2));
    await expect(local.store.append('record-1', 0, newEvents(1))).rejects.toMatchObject({
      code: EVENTSTORE_ERRORS.concurrency,
      actualVersion: 2,
    });
    await waitFor('the other process’s events', () => consumer.acknowledged.length === 2);
    expect(consumer.acknowledged).toEqual(events);
    await subscription.stop();
  });

  it('refuses a second subscriber for a group in the same process and invalid options', async () => {
    const { open } = await openOnFile();
    const engine = open();
    const subscription = await engine.bus.subscribe('projector', recorder().handler);
    await expect(engine.bus.subscribe('projector', recorder().handler)).rejects.toThrow(
      'already has a subscriber',
    );
    await subscription.stop();
    const again = await engine.bus.subscribe('projector', recorder().handler);
    await again.stop();
    await expect(engine.bus.subscribe('other', recorder().handler, { batchSize: 0 })).rejects.toThrow(
      RangeError,
    );
    await expect(engine.bus.subscribe('other', recorder().handler, { maxAttempts: 1.5 })).rejects.toThrow(
      RangeError,
    );
    await expect(engine.bus.subscribe('other', recorder().handler, { lingerMs: -1 })).rejects.toThrow(
      RangeError,
    );
    await expect(engine.store.append('record-1', -1, newEvents(1))).rejects.toThrow(RangeError);
    await expect(engine.store.readAll(0, 0)).rejects.toThrow(RangeError);
  });

  it('rejects an event whose data cannot be stored as JSON, before touching the log', async () => {
    const { open } = await openOnFile();
    const engine = open();
    await expect(engine.store.append('record-1', 0, [newEvent({ data: undefined })])).rejects.toThrow(
      TypeError,
    );
    await expect(engine.store.append('record-1', 0, [newEvent({ data: 10n })])).rejects.toThrow(TypeError);
    expect(await engine.store.headPosition()).toBe(0);
  });
});

describe('sqlite event engine without an outbox', () => {
  it('keeps nothing in the outbox, still delivers on its bus, and drops rows an earlier run left', async () => {
    const { file, open } = await openOnFile({ pollIntervalMs: 20 });
    const earlier = open();
    await earlier.store.append('record-1', 0, newEvents(2));
    expect(await earlier.outbox.depth()).toBe(2);
    await earlier.close();

    const engine = openSqliteEventStore({ file, pollIntervalMs: 20, outbox: false });
    onTestFinished(() => engine.close());
    expect(await engine.outbox.depth()).toBe(0);
    const { events } = await engine.store.append('record-2', 0, newEvents(3));
    expect(await engine.outbox.depth()).toBe(0);
    expect(await engine.outbox.pending(10)).toEqual([]);
    await engine.outbox.markPublished(events.map((event) => event.id));
    await expect(engine.outbox.pending(0)).rejects.toThrow(RangeError);
    const consumer = recorder();
    const subscription = await engine.bus.subscribe('projector', consumer.handler);
    await subscription.caughtUp();
    expect(consumer.acknowledged).toEqual(await engine.store.readAll(0, 100));
    expect(consumer.acknowledged).toHaveLength(5);
    await subscription.stop();

    const inspector = new Database(file, { readonly: true });
    expect(inspector.prepare('SELECT COUNT(*) AS n FROM outbox').get()).toEqual({ n: 0 });
    inspector.close();
  });
});
