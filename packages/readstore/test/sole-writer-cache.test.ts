/** The cache a rebuild puts in front of its target: fewer reads and writes, the same documents. */
import { describe, expect, it, onTestFinished } from 'vitest';
import type { DocumentWrite, ReadStore } from '../src/index.ts';
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
