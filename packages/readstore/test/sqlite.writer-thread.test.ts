/**
 * What the writer thread adds to the contract: failures on the thread arrive as the errors the
 * calling thread would raise, a thread that dies fails what it owed and nothing else, and close
 * waits for the commits in flight.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type * as WorkerThreads from 'node:worker_threads';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { removeTempDir, tempDir } from '@nexo/testkit';
import type { DocumentWrite, ReadStore } from '../src/index.ts';
import { RevisionConflictError, openSqliteReadStore } from '../src/index.ts';

/** Every writer thread started, with a switch that keeps the messages sent to it from arriving. */
const threads = vi.hoisted(() => ({ started: [] as { deaf: boolean; terminate(): Promise<number> }[] }));

vi.mock('node:worker_threads', async (importOriginal) => {
  const original = await importOriginal<typeof WorkerThreads>();
  class RecordedWorker extends original.Worker {
    deaf = false;
    constructor(...args: ConstructorParameters<typeof original.Worker>) {
      super(...args);
      threads.started.push(this);
    }
    override postMessage(...args: Parameters<InstanceType<typeof original.Worker>['postMessage']>): void {
      if (!this.deaf) super.postMessage(...args);
    }
  }
  return { ...original, Worker: RecordedWorker };
});

const put = (id: string, expectedRevision: number, body: unknown = { id }): DocumentWrite => ({
  kind: 'put',
  collection: 'items',
  id,
  expectedRevision,
  body,
});

const folder = async (): Promise<string> => {
  const dir = await tempDir();
  onTestFinished(() => removeTempDir(dir));
  return dir;
};

const open = (file: string, writerThread: boolean): ReadStore => {
  const store = openSqliteReadStore({ file, writerThread });
  onTestFinished(() => store.close());
  return store;
};

/** A trigger no connection of the store knows about, failing any put of the document `poison`. */
const poisonPuts = (file: string): void => {
  const db = new Database(file);
  db.exec(`CREATE TRIGGER poison BEFORE INSERT ON documents WHEN NEW.id = 'poison'
           BEGIN SELECT RAISE(ABORT, 'poisoned document'); END`);
  db.close();
};

describe('sqlite read store with a writer thread', () => {
  it('raises a revision conflict found on the thread as a RevisionConflictError, and goes on', async () => {
    const store = open(join(await folder(), 'read.db'), true);
    await store.commit([put('a', 0)]);
    const stale = store.commit([put('b', 0), put('a', 0)], { consumer: 'p', position: '2' });
    await expect(stale).rejects.toBeInstanceOf(RevisionConflictError);
    await expect(stale).rejects.toMatchObject({
      code: 'NEXO_ERR_REVISION_CONFLICT',
      message: 'items/a is at revision 1, expected 0',
      collection: 'items',
      id: 'a',
      expectedRevision: 0,
      actualRevision: 1,
    });
    expect(await store.get('items', 'b')).toBeUndefined();
    await store.commit([put('a', 1, { n: 2 })]);
    expect(await store.get('items', 'a')).toMatchObject({ revision: 2, body: { n: 2 } });
  });

  // The same failure, raised by the calling thread's own connection and by the writer thread.
  it.each([false, true])(
    'fails a commit SQLite refuses with its SqliteError and code, keeping what was committed (writer thread: %s)',
    async (writerThread) => {
      const file = join(await folder(), 'read.db');
      const store = open(file, writerThread);
      await store.commit([put('a', 0)], { consumer: 'p', position: '1' });
      poisonPuts(file);
      const refused = store.commit([put('b', 0), put('poison', 0)], { consumer: 'p', position: '2' });
      await expect(refused).rejects.toBeInstanceOf(Database.SqliteError);
      await expect(refused).rejects.toMatchObject({
        name: 'SqliteError',
        code: 'SQLITE_CONSTRAINT_TRIGGER',
        message: 'poisoned document',
      });
      expect(await store.getMany('items', ['a', 'b'])).toMatchObject([{ id: 'a', revision: 1 }]);
      expect(await store.getCheckpoint('p')).toBe('1');
    },
  );

  it('fails every commit a dying thread owed, loses nothing committed, and starts another', async () => {
    const store = open(join(await folder(), 'read.db'), true);
    await store.commit([put('a', 0)], { consumer: 'p', position: '1' });
    const dying = threads.started.at(-1);
    if (dying === undefined) throw new Error('no writer thread started');
    dying.deaf = true;
    const owed = [store.commit([put('b', 0)]), store.commit([put('c', 0)], { consumer: 'p', position: '3' })];
    await dying.terminate();
    for (const commit of owed) {
      await expect(commit).rejects.toMatchObject({
        code: 'NEXO_ERR_READSTORE_WRITER_THREAD',
        message: expect.stringMatching(/^the read store's writer thread failed: it exited with code 1/),
      });
    }
    expect(await store.getMany('items', ['a', 'b', 'c'])).toMatchObject([{ id: 'a', revision: 1 }]);
    expect(await store.getCheckpoint('p')).toBe('1');

    await store.commit([put('b', 0)], { consumer: 'p', position: '4' });
    expect(threads.started.at(-1)).not.toBe(dying);
    expect((await store.getMany('items', ['a', 'b'])).map((doc) => doc.id)).toEqual(['a', 'b']);
  });

  it('lets the commits in flight finish on close, then refuses commits', async () => {
    const file = join(await folder(), 'read.db');
    const store = openSqliteReadStore({ file, writerThread: true });
    const settled: string[] = [];
    const inFlight = Array.from({ length: 5 }, (_, batch) =>
      store
        .commit(Array.from({ length: 2_000 }, (_, i) => put(`${batch}-${i}`, 0)))
        .then(() => settled.push(`commit ${batch}`)),
    );
    await store.close().then(() => settled.push('closed'));
    await Promise.all(inFlight);
    expect(settled).toEqual(['commit 0', 'commit 1', 'commit 2', 'commit 3', 'commit 4', 'closed']);
    await expect(store.commit([put('late', 0)])).rejects.toMatchObject({
      code: 'NEXO_ERR_READSTORE_WRITER_THREAD',
      message: 'the read store is closed',
    });

    const reopened = open(file, false);
    expect(await reopened.getMany('items', ['0-0', '4-1999'])).toHaveLength(2);
  });

  it('returns from close() in a process with nothing else to keep it alive, every commit written', () => {
    const script = fileURLToPath(new URL('./fixtures/close-with-commits-in-flight.ts', import.meta.url));
    const run = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('closed, 20 commits written, 20 documents read back');
  });
});
