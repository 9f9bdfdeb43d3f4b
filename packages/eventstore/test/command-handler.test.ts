import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { newEvent, removeTempDir, tempDir } from '@nexo/testkit';
import { handleStreamCommand, openSqliteEventStore, type StoredEvent } from '../src/index.ts';

const openStore = async () => {
  const dir = await tempDir();
  const engine = openSqliteEventStore({ file: join(dir, 'events.db') });
  onTestFinished(async () => {
    await engine.close();
    await removeTempDir(dir);
  });
  return engine.store;
};

/** A counter: each command appends the next number; numbers must never repeat. */
const increment = {
  initialState: () => 0,
  evolve: (_count: number, event: StoredEvent) => (event.data as { count: number }).count,
  decide: (count: number) => ({
    events: [{ ...newEvent(), type: 'Counted', data: { count: count + 1 } }],
    result: count + 1,
  }),
};

describe('handleStreamCommand', () => {
  it('decides again on fresh state when a concurrent writer wins: 10 concurrent commands count to 10', async () => {
    const store = await openStore();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => handleStreamCommand(store, 'counter', increment, 20)),
    );
    expect(results.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const counts = (await store.readStream('counter')).map((e) => (e.data as { count: number }).count);
    expect(counts).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('appends nothing when the decision has no event', async () => {
    const store = await openStore();
    const result = await handleStreamCommand(store, 'refused', {
      ...increment,
      decide: () => ({ events: [], result: 'refused' }),
    });
    expect(result).toBe('refused');
    expect(await store.readStream('refused')).toEqual([]);
  });
});
