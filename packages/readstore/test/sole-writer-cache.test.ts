/** The cache a rebuild puts in front of its target: fewer reads and writes, the same documents. */
import { describe, expect, it, onTestFinished } from 'vitest';
import { gate, sleep, track, type Gate } from '@nexo/testkit';
import type { Checkpoint, DocumentWrite, ReadStore } from '../src/index.ts';
import { openSqliteReadStore, soleWriterCache } from '../src/index.ts';

/** An in-memory store that counts what reaches it. */
const counted = () => {
  const store = openSqliteReadStore({ file: ':memory:' });
  onTestFinished(() => store.close());
  const calls = { reads: 0, commits: 0 };
  const spy: ReadStore = {
    ...store,
    get: (collection, id) => {
      calls.reads++;
      return store.get(collection, id);
    },
    getMany: (collection, ids) => {
      calls.reads++;
      return store.getMany(collection, ids);
    },
    commit: (writes, checkpoint) => {
      calls.commits++;
      return store.commit(writes, checkpoint);
    },
  };
  return { store, spy, calls };
};

const put = (id: string, expectedRevision: number, body: unknown): DocumentWrite => ({
  kind: 'put',
  collection: 'cards',
  id,
  expectedRevision,
  body,
});

const bodies = async (store: ReadStore, ids: string[]) =>
  (await store.getMany('cards', ids)).map((d) => [d.id, d.revision, d.body]);

describe('soleWriterCache', () => {
  it('after a clear, answers reads of what it wrote (and of what does not exist) without the store', async () => {
    const { spy, calls } = counted();
    const cache = soleWriterCache(spy, { capacity: 10, deferUpTo: 1 });
    await cache.clear();
    await cache.commit([put('a', 0, { n: 1 })]);
    expect(await cache.getMany('cards', ['a', 'b'])).toEqual([
      { collection: 'cards', id: 'a', revision: 1, body: { n: 1 } },
    ]);
    expect(await cache.get('cards', 'b')).toBeUndefined();
    expect(calls).toEqual({ reads: 0, commits: 1 });
  });

  it('asks the store again for documents it had to evict', async () => {
    const { spy, calls } = counted();
    const cache = soleWriterCache(spy, { capacity: 1, deferUpTo: 1 });
    await cache.clear();
    await cache.commit([put('a', 0, { n: 1 }), put('b', 0, { n: 2 })]);
    // Once their commit landed: until then they are in flight, and kept whatever the capacity.
    await cache.flush();
    expect((await cache.get('cards', 'a'))?.body).toEqual({ n: 1 });
    expect((await cache.get('cards', 'c'))?.body).toBeUndefined();
    expect(calls.reads).toBe(2);
  });

  it('with deferUpTo, holds commits until flush, then writes each document once with the last checkpoint', async () => {
    const { store, spy, calls } = counted();
    const cache = soleWriterCache(spy, { capacity: 10, deferUpTo: 10 });
    await cache.clear();
    await cache.commit([put('a', 0, { n: 1 }), put('b', 0, { n: 1 })], { consumer: 'p', position: '1' });
    await cache.commit([put('a', 1, { n: 2 })], { consumer: 'p', position: '2' });
    expect((await cache.get('cards', 'a'))?.body).toEqual({ n: 2 });
    expect(await cache.getCheckpoint('p')).toBe('2');
    expect(await bodies(store, ['a', 'b'])).toEqual([]);
    expect(await store.getCheckpoint('p')).toBeUndefined();

    await cache.flush();
    expect(await bodies(store, ['a', 'b'])).toEqual([
      ['a', 1, { n: 2 }],
      ['b', 1, { n: 1 }],
    ]);
    expect(await store.getCheckpoint('p')).toBe('2');
    expect(calls.commits).toBe(1);
  });

  it('flushes by itself once deferUpTo documents wait', async () => {
    const { store } = counted();
    const cache = soleWriterCache(store, { capacity: 10, deferUpTo: 2 });
    await cache.clear();
    await cache.commit([put('a', 0, { n: 1 })]);
    expect(await bodies(store, ['a'])).toEqual([]);
    await cache.commit([put('b', 0, { n: 1 })]);
    expect(await bodies(store, ['a', 'b'])).toEqual([
      ['a', 1, { n: 1 }],
      ['b', 1, { n: 1 }],
    ]);
  });

  it('refuses a held commit with a stale revision, and holds nothing of it', async () => {
    const { store } = counted();
    const cache = soleWriterCache(store, { capacity: 10, deferUpTo: 10 });
    await cache.clear();
    await cache.commit([put('a', 0, { n: 1 })]);
    await expect(cache.commit([put('b', 0, { n: 1 }), put('a', 0, { n: 2 })])).rejects.toMatchObject({
      code: 'NEXO_ERR_REVISION_CONFLICT',
    });
    expect(await cache.get('cards', 'b')).toBeUndefined();
    await cache.flush();
    expect(await bodies(store, ['a', 'b'])).toEqual([['a', 1, { n: 1 }]]);
  });

  it('reads documents the store already had and checks writes against their revision', async () => {
    const { store } = counted();
    await store.commit([put('a', 0, { n: 1 })]);
    await store.commit([put('a', 1, { n: 2 })]);
    const cache = soleWriterCache(store, { capacity: 10, deferUpTo: 10 });
    await expect(cache.commit([put('a', 1, { n: 3 })])).rejects.toMatchObject({
      code: 'NEXO_ERR_REVISION_CONFLICT',
    });
    await cache.commit([put('a', 2, { n: 3 })]);
    await cache.flush();
    expect(await bodies(store, ['a'])).toEqual([['a', 3, { n: 3 }]]);
  });
});

/**
 * An in-memory store whose commits stay in flight until the test lets each one through (or fails
 * it), as a writer thread's would while it writes; it counts reads and commits in flight.
 */
const slowCommits = () => {
  const store = openSqliteReadStore({ file: ':memory:' });
  onTestFinished(() => store.close());
  const queued: { gate: Gate; failure?: Error }[] = [];
  const seen = { reads: 0, inFlight: 0, mostInFlight: 0, commits: [] as string[][] };
  const spy: ReadStore = {
    ...store,
    getMany: (collection, ids) => {
      seen.reads++;
      return store.getMany(collection, ids);
    },
    commit: async (writes: readonly DocumentWrite[], checkpoint?: Checkpoint) => {
      seen.commits.push(writes.map((w) => `${w.id}@${w.expectedRevision}`));
      seen.mostInFlight = Math.max(seen.mostInFlight, ++seen.inFlight);
      const turn = { gate: gate() } as { gate: Gate; failure?: Error };
      queued.push(turn);
      await turn.gate.opened;
      seen.inFlight--;
      if (turn.failure) throw turn.failure;
      await store.commit(writes, checkpoint);
    },
  };
  /** Lets the oldest commit through (or fails it with `failure`), then lets its reaction run. */
  const land = async (failure?: Error): Promise<void> => {
    const turn = queued.shift();
    if (turn === undefined) throw new Error('no commit in flight');
    turn.failure = failure;
    turn.gate.open();
    await sleep(0);
  };
  return { store, spy, seen, land, waiting: () => queued.length };
};

/** Whether `promise` settled before the other callbacks queued now have run. */
const settledAtOnce = async (promise: Promise<unknown>): Promise<boolean> => {
  const state = track(promise);
  await sleep(0);
  return state.settled();
};

describe('soleWriterCache with commits in flight', () => {
  it('returns once a flush started, and serves its documents and checkpoint from memory meanwhile', async () => {
    const { store, spy, seen, land } = slowCommits();
    const cache = soleWriterCache(spy, { capacity: 1, deferUpTo: 2 });
    await cache.commit([put('a', 0, { n: 1 }), put('b', 0, { n: 1 })], { consumer: 'p', position: '1' });
    expect(seen.inFlight).toBe(1);
    const readsBefore = seen.reads;
    // Capacity 1 would have evicted one of them, were they cached rather than in flight.
    expect(await cache.getMany('cards', ['a', 'b'])).toEqual([
      { collection: 'cards', id: 'a', revision: 1, body: { n: 1 } },
      { collection: 'cards', id: 'b', revision: 1, body: { n: 1 } },
    ]);
    expect(await cache.getCheckpoint('p')).toBe('1');
    expect(seen.reads).toBe(readsBefore);
    expect(await bodies(store, ['a', 'b'])).toEqual([]);

    await land();
    expect(await bodies(store, ['a', 'b'])).toEqual([
      ['a', 1, { n: 1 }],
      ['b', 1, { n: 1 }],
    ]);
  });

  it('checks writes held meanwhile against the revisions the flush in flight leaves', async () => {
    const { store, spy, seen, land } = slowCommits();
    const cache = soleWriterCache(spy, { capacity: 10, deferUpTo: 3 });
    await cache.clear();
    await cache.commit([put('a', 0, { n: 1 }), put('b', 0, { n: 1 }), put('x', 0, { n: 1 })]);
    expect(seen.inFlight).toBe(1);
    await cache.commit([put('a', 1, { n: 2 })]);
    await expect(cache.commit([put('a', 1, { n: 3 })])).rejects.toMatchObject({
      code: 'NEXO_ERR_REVISION_CONFLICT',
      expectedRevision: 1,
      actualRevision: 2,
    });
    await cache.commit([{ kind: 'delete', collection: 'cards', id: 'b', expectedRevision: 1 }]);
    expect(await cache.get('cards', 'a')).toMatchObject({ revision: 2, body: { n: 2 } });
    expect(await cache.get('cards', 'b')).toBeUndefined();

    // The next flush waits for the one in flight: one commit at a time, in order, each write
    // against the revision the previous commit left.
    const next = cache.commit([put('a', 2, { n: 3 }), put('c', 0, { n: 1 })]);
    expect(await settledAtOnce(next)).toBe(false);
    await land();
    await next;
    expect(seen.commits).toEqual([
      ['a@0', 'b@0', 'x@0'],
      ['a@1', 'b@1', 'c@0'],
    ]);
    await land();
    await cache.flush();
    expect(seen.mostInFlight).toBe(1);
    expect(await bodies(store, ['a', 'b', 'c', 'x'])).toEqual([
      ['a', 2, { n: 3 }],
      ['c', 1, { n: 1 }],
      ['x', 1, { n: 1 }],
    ]);
  });

  it('throws the failure of a commit in flight from the next call, forgetting everything', async () => {
    const { store, spy, seen, land } = slowCommits();
    await store.commit([put('kept', 0, { n: 0 })]);
    const cache = soleWriterCache(spy, { capacity: 10, deferUpTo: 2 });
    expect(await cache.get('cards', 'kept')).toMatchObject({ revision: 1 });
    await cache.commit([put('lost', 0, { n: 1 }), put('kept', 1, { n: 1 })]);
    const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    await land(full);

    await expect(cache.get('cards', 'kept')).rejects.toBe(full);
    // Thrown once: the cache then knows only what the store has.
    const readsBefore = seen.reads;
    expect(await cache.getMany('cards', ['kept', 'lost'])).toEqual([
      { collection: 'cards', id: 'kept', revision: 1, body: { n: 0 } },
    ]);
    expect(seen.reads).toBe(readsBefore + 1);
    expect(seen.commits).toEqual([['lost@0', 'kept@1']]);
  });

  it('flush() and close() wait for every commit in flight; find, ensureIndexes and clear too', async () => {
    const { store, spy, land, waiting } = slowCommits();
    const cache = soleWriterCache(spy, { capacity: 10, deferUpTo: 1 });
    await cache.ensureIndexes([{ collection: 'cards', field: 'owner', sortBy: 'at' }]);
    let revision = 0;
    for (const waits of [
      () => cache.flush(),
      () => cache.find({ collection: 'cards', field: 'owner', value: 'x', limit: 5 }),
      () => cache.ensureIndexes([{ collection: 'cards', field: 'owner', sortBy: 'at' }]),
    ]) {
      await cache.commit([put('a', revision, { owner: 'x', at: String(revision) })]);
      revision++;
      const call = waits();
      expect(await settledAtOnce(call)).toBe(false);
      while (waiting() > 0) await land();
      await call;
      expect(await bodies(store, ['a'])).toEqual([['a', revision, { owner: 'x', at: String(revision - 1) }]]);
    }

    await cache.commit([put('a', revision, { owner: 'x', at: String(revision) })]);
    // A commit landing after the clear would bring its document back.
    const clearing = cache.clear();
    expect(await settledAtOnce(clearing)).toBe(false);
    while (waiting() > 0) await land();
    await clearing;
    expect(await bodies(store, ['a'])).toEqual([]);

    await cache.commit([put('b', 0, { n: 1 })]);
    const closing = cache.close();
    expect(await settledAtOnce(closing)).toBe(false);
    await land();
    await closing;
    await expect(store.get('cards', 'b')).rejects.toThrow('not open');
  });
});
