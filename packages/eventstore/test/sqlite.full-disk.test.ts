/**
 * The embedded engine on a full disk (a real one: a small tmpfs filled up). It must open, answer
 * reads and refuse appends with a transient error while the disk is full, carry on once space is
 * freed, and lose nothing it had accepted.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import { mountSmallDisk, newEvent, newEvents, sleep, smallDiskUnavailable, waitFor } from '@nexo/testkit';
import { isTransientFailure, openSqliteEventStore, type SqliteEventEngine } from '../src/index.ts';

const unavailable = await smallDiskUnavailable();
if (unavailable !== undefined) console.warn(`sqlite event engine on a full disk — skipped: ${unavailable}`);

const onSmallDisk = async () => {
  const disk = await mountSmallDisk(8);
  const engines: SqliteEventEngine[] = [];
  onTestFinished(async () => {
    disk.free();
    for (const engine of engines) await engine.close();
    await disk.unmount();
  });
  const file = join(disk.dir, 'events.sqlite');
  const open = (options: { outbox?: boolean; checkpointer?: boolean } = {}): SqliteEventEngine => {
    const engine = openSqliteEventStore({ file, ...options });
    engines.push(engine);
    return engine;
  };
  return { disk, file, open };
};

/** An event too large for any room a WAL left behind: appending it needs space. */
const largeEvent = () => newEvent({ data: { filler: 'x'.repeat(100_000) } });

describe.skipIf(unavailable !== undefined)('sqlite event engine on a full disk', () => {
  it('opens over a log left open by a process that died (WAL in place): reads answer, appends fail as transient until space is freed', async () => {
    const { disk, open } = await onSmallDisk();
    // A hub that died keeps its WAL and wal-index; this engine stays open, so they stay too. It
    // never checkpoints, so its frames stay in the WAL and a new write there needs new space.
    const crashed = open({ outbox: false, checkpointer: false });
    const accepted = await crashed.store.append('record-1', 0, newEvents(3));
    disk.fill();

    // The all-in-one hub opens its log without an outbox: opening must not write (a write at open
    // failed with SQLITE_FULL and the hub could not start).
    const engine = open({ outbox: false });
    expect(await engine.store.readStream('record-1')).toEqual(accepted.events);
    const refused: unknown = await engine.store
      .append('record-2', 0, [largeEvent()])
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'SQLITE_FULL' });
    expect(isTransientFailure(refused)).toBe(true);

    disk.free();
    const later = await engine.store.append('record-2', 0, [largeEvent()]);
    expect(later.version).toBe(1);
    expect(await engine.store.readStream('record-1')).toEqual(accepted.events);
    expect(await engine.store.headPosition()).toBe(4);
  });

  it('opens without its outbox while the rows an earlier run left cannot be dropped, and drops them at a later open', async () => {
    const { disk, file, open } = await onSmallDisk();
    const relayed = open({ outbox: true, checkpointer: false });
    await relayed.store.append('record-1', 0, newEvents(20));
    disk.fill();

    const engine = open({ outbox: false });
    expect(await engine.store.headPosition()).toBe(20);
    expect(await engine.outbox.depth()).toBe(0);

    disk.free();
    await engine.close();
    await relayed.close();
    await open({ outbox: false }).store.headPosition();
    const inspector = new Database(file, { readonly: true });
    try {
      expect(inspector.prepare('SELECT COUNT(*) FROM outbox').pluck().get()).toBe(0);
    } finally {
      inspector.close();
    }
  });

  it('keeps its checkpointer thread through a full disk: once space is freed, checkpoints copy the WAL into the file again', async () => {
    const { disk, file, open } = await onSmallDisk();
    const engine = open({ outbox: false });
    await engine.store.append('warm-up', 0, newEvents(1));
    // Room for the WAL to take these appends, not for the checkpoint to copy them into the file too.
    disk.fill(400_000);
    const before = statSync(file).size;
    for (let i = 0; i < 3; i++) await engine.store.append(`record-${i}`, 0, [largeEvent()]);
    // A few of the thread's 200 ms rounds, each failing for want of space.
    await sleep(800);
    expect(statSync(file).size).toBeLessThan(before + 300_000);

    disk.free();
    await waitFor('a checkpoint after the disk was freed', () => statSync(file).size >= before + 300_000);
    expect(await engine.store.headPosition()).toBe(4);
  });
});
