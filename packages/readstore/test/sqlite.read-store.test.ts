/** What only the embedded read store promises beyond the contract: index declarations and cursors. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { removeTempDir, tempDir } from '@nexo/testkit';
import type { ReadStore } from '../src/index.ts';
import { openSqliteReadStore } from '../src/index.ts';

const open = async (writerThread: boolean): Promise<ReadStore & { file: string }> => {
  const dir = await tempDir();
  const file = join(dir, 'read.db');
  const store = openSqliteReadStore({ file, writerThread });
  onTestFinished(async () => {
    await store.close();
    await removeTempDir(dir);
  });
  return Object.assign(store, { file });
};

/**
 * Another process writing to `file`: it takes the write lock, says so, holds it for `holdMs` and
 * commits. Resolves once the lock is taken, with the process's exit.
 */
const writerInAnotherProcess = async (
  file: string,
  holdMs: number,
): Promise<{ exited: Promise<unknown> }> => {
  const script = `
    const db = new (require('better-sqlite3'))(process.argv[1]);
    db.pragma('busy_timeout = 5000');
    db.exec('BEGIN IMMEDIATE');
    db.prepare("INSERT INTO checkpoints (consumer, position) VALUES ('other-process', '1')").run();
    process.stdout.write('locked\\n');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${holdMs});
    db.exec('COMMIT');`;
  const child = spawn(process.execPath, ['-e', script, file], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  await once(child.stdout, 'data');
  return { exited };
};

const putAll = (store: ReadStore, bodies: Record<string, unknown>) =>
  store.commit(
    Object.entries(bodies).map(([id, body]) => ({
      kind: 'put',
      collection: 'items',
      id,
      expectedRevision: 0,
      body,
    })),
  );

const foundIds = async (store: ReadStore, field: string, value: string): Promise<string[]> =>
  (await store.find({ collection: 'items', field, value, limit: 100 })).documents.map(
    (document) => document.id,
  );

// Declarations, backfills and rejected bodies behave alike whichever thread writes.
describe.each([
  { writes: 'on the calling thread', writerThread: false },
  { writes: 'on the writer thread', writerThread: true },
])('sqlite read store, writes $writes', ({ writerThread }) => {
  it('refuses to find by a field that has no declared index', async () => {
    const store = await open(writerThread);
    await expect(store.find({ collection: 'items', field: 'owner', value: 'x', limit: 1 })).rejects.toThrow(
      'has no index',
    );
  });

  it('refuses a cursor it did not issue and a limit below 1', async () => {
    const store = await open(writerThread);
    await store.ensureIndexes([{ collection: 'items', field: 'owner', sortBy: 'at' }]);
    const query = { collection: 'items', field: 'owner', value: 'x' } as const;
    await expect(store.find({ ...query, limit: 1, cursor: 'not-a-cursor' })).rejects.toMatchObject({
      code: 'NEXO_ERR_INVALID_CURSOR',
    });
    const forged = Buffer.from(JSON.stringify({ at: 1 })).toString('base64url');
    await expect(store.find({ ...query, limit: 1, cursor: forged })).rejects.toMatchObject({
      code: 'NEXO_ERR_INVALID_CURSOR',
    });
    await expect(store.find({ ...query, limit: 0 })).rejects.toThrow(RangeError);
  });

  it('declares indexes while another process writes to the file, waiting for its commit', async () => {
    const store = await open(writerThread);
    const other = await writerInAnotherProcess(store.file, 1_000);
    await store.ensureIndexes([{ collection: 'items', field: 'owner', sortBy: 'at' }]);
    expect(await other.exited).toEqual([0, null]);
    await putAll(store, { a: { owner: 'x', at: '1' } });
    expect(await foundIds(store, 'owner', 'x')).toEqual(['a']);
  });

  it('orders numeric sort values as numbers', async () => {
    const store = await open(writerThread);
    await store.ensureIndexes([{ collection: 'items', field: 'owner', sortBy: 'rank' }]);
    await putAll(store, {
      a: { owner: 'x', rank: 9 },
      b: { owner: 'x', rank: 10 },
      c: { owner: 'x', rank: -1.5 },
    });
    expect(await foundIds(store, 'owner', 'x')).toEqual(['b', 'a', 'c']);
  });

  it('re-sorts existing documents when an index is declared again with another sort field', async () => {
    const store = await open(writerThread);
    await putAll(store, { a: { owner: 'x', at: '2', name: 'b' }, b: { owner: 'x', at: '1', name: 'c' } });
    await store.ensureIndexes([{ collection: 'items', field: 'owner', sortBy: 'at' }]);
    expect(await foundIds(store, 'owner', 'x')).toEqual(['a', 'b']);
    await store.ensureIndexes([{ collection: 'items', field: 'owner', sortBy: 'name' }]);
    expect(await foundIds(store, 'owner', 'x')).toEqual(['b', 'a']);
  });

  it('rejects contradictory declarations without changing the existing ones', async () => {
    const store = await open(writerThread);
    await store.ensureIndexes([{ collection: 'items', field: 'owner', sortBy: 'at' }]);
    const declaring = store.ensureIndexes([
      { collection: 'items', field: 'kind', sortBy: 'at' },
      { collection: 'items', field: 'owner', sortBy: 'at' },
      { collection: 'items', field: 'owner', sortBy: 'name' },
    ]);
    await expect(declaring).rejects.toThrow(RangeError);
    await expect(declaring).rejects.toThrow('items.owner is declared with two sort fields');
    await putAll(store, { a: { owner: 'x', kind: 'k', at: '1' } });
    expect(await foundIds(store, 'owner', 'x')).toEqual(['a']);
    await expect(foundIds(store, 'kind', 'k')).rejects.toThrow('has no index');
  });

  it('indexes scalar values as text and skips objects and missing fields', async () => {
    const store = await open(writerThread);
    await store.ensureIndexes([{ collection: 'items', field: 'tag', sortBy: 'at' }]);
    await putAll(store, {
      n: { tag: 42, at: '1' },
      t: { tag: true, at: '1' },
      o: { tag: { nested: 'x' }, at: '1' },
      m: { at: '1' },
    });
    expect(await foundIds(store, 'tag', '42')).toEqual(['n']);
    expect(await foundIds(store, 'tag', 'true')).toEqual(['t']);
    expect(await foundIds(store, 'tag', '[object Object]')).toEqual([]);
  });

  it('rejects a body that cannot be stored as JSON and applies nothing', async () => {
    const store = await open(writerThread);
    const committing = store.commit([
      { kind: 'put', collection: 'items', id: 'a', expectedRevision: 0, body: { ok: true } },
      { kind: 'put', collection: 'items', id: 'b', expectedRevision: 0, body: undefined },
    ]);
    await expect(committing).rejects.toThrow(TypeError);
    await expect(committing).rejects.toThrow('items/b has no JSON body');
    expect(await store.get('items', 'a')).toBeUndefined();
  });
});
