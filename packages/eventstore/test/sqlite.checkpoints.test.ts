/** The embedded engine's checkpoints: off the append path, on a thread that close() stops. */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { newEvent, removeTempDir, tempDir, waitFor } from '@nexo/testkit';
import { openSqliteEventStore } from '../src/index.ts';

const openOnFile = async () => {
  const dir = await tempDir();
  const file = join(dir, 'events.db');
  const engine = openSqliteEventStore({ file, outbox: false });
  onTestFinished(async () => {
    await engine.close();
    await removeTempDir(dir);
  });
  return { file, engine };
};

describe('sqlite event engine checkpoints', () => {
  it('copies committed appends into the database file without waiting for the WAL to fill', async () => {
    const { file, engine } = await openOnFile();
    const before = statSync(file).size;
    // ~100 pages of events: far below the writers' own automatic checkpoint (16,384 pages), so
    // only the checkpointer thread can have moved them out of the WAL into the file.
    const filler = 'x'.repeat(4_000);
    for (let i = 0; i < 10; i++) {
      await engine.store.append(
        `record-${i}`,
        0,
        Array.from({ length: 10 }, () => newEvent({ data: { filler } })),
      );
    }
    await waitFor('the checkpointer thread', () => statSync(file).size >= before + 100 * 4_000);
    expect(await engine.store.headPosition()).toBe(100);
  });

  it('stops the thread on close, so the writer closes last and removes the WAL', async () => {
    const { file, engine } = await openOnFile();
    const appended = await engine.store.append('record-1', 0, [newEvent(), newEvent()]);
    await engine.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
    const reopened = openSqliteEventStore({ file, outbox: false });
    try {
      expect(await reopened.store.readStream('record-1')).toEqual(appended.events);
    } finally {
      await reopened.close();
    }
  });
});
