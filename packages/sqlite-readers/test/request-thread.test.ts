/**
 * The plumbing every request thread shares, against a stand-in Worker so each step is observable:
 * whether the thread keeps the process alive, what it was sent, and replies or deaths arriving
 * exactly when a test says. The real threads run in the reader pool's, the read store's writer and
 * the audit log's tests.
 */
import type { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { RequestThread } from '../src/index.ts';

interface FakeWorker extends EventEmitter {
  readonly workerData: unknown;
  readonly posted: unknown[];
  /** Whether the thread keeps the process alive (a new Worker does). */
  referenced: boolean;
}

const workers = vi.hoisted(() => [] as FakeWorker[]);

vi.mock('node:worker_threads', async () => {
  const { EventEmitter } = await import('node:events');
  class Worker extends EventEmitter {
    readonly workerData: unknown;
    readonly posted: unknown[] = [];
    referenced = true;
    constructor(_url: URL, options: { readonly workerData: unknown }) {
      super();
      this.workerData = options.workerData;
      workers.push(this);
    }
    ref(): void {
      this.referenced = true;
    }
    unref(): void {
      this.referenced = false;
    }
    postMessage(message: unknown): void {
      this.posted.push(message);
    }
  }
  return { Worker };
});

type Reply = { readonly value: string } | { readonly error: string };

class StoneError extends Error {}

const open = (): { thread: RequestThread<Reply, string>; workersBefore: number } => ({
  workersBefore: workers.length,
  thread: new RequestThread<Reply, string>({
    url: new URL('./no-such-thread.mjs', import.meta.url),
    workerData: { file: 'stone.db' },
    resultOf: (reply) => {
      if ('error' in reply) throw new StoneError(reply.error);
      return reply.value;
    },
    failed: (cause) => new StoneError(`the stone thread failed: ${cause.message}`),
    stopped: () => new StoneError('the stone is closed'),
  }),
});

const lastWorker = (): FakeWorker => {
  const worker = workers.at(-1);
  if (worker === undefined) throw new Error('no thread started');
  return worker;
};

/** Whether `promise` has settled by the time the events already queued have run. */
const settledYet = async (promise: Promise<unknown>): Promise<boolean> => {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return settled;
};

describe('request thread', () => {
  it('starts its thread on the first request, and keeps the process alive only while requests are in flight', async () => {
    const { thread, workersBefore } = open();
    expect(workers).toHaveLength(workersBefore);

    const first = thread.request({ query: 'a' });
    const second = thread.request({ query: 'b' });
    const worker = lastWorker();
    expect(workers).toHaveLength(workersBefore + 1);
    expect(worker.workerData).toEqual({ file: 'stone.db' });
    expect(worker.posted).toEqual([
      { query: 'a', id: 0 },
      { query: 'b', id: 1 },
    ]);
    expect([worker.referenced, thread.inFlight]).toEqual([true, 2]);

    worker.emit('message', { id: 1, value: 'B' });
    await expect(second).resolves.toBe('B');
    expect([worker.referenced, thread.inFlight]).toEqual([true, 1]);
    worker.emit('message', { id: 0, value: 'A' });
    await expect(first).resolves.toBe('A');
    expect([worker.referenced, thread.inFlight]).toEqual([false, 0]);
  });

  it('rejects a request with the error its reply carries, and goes on with the same thread', async () => {
    const { thread } = open();
    const failing = thread.request({ query: 'bad' });
    const worker = lastWorker();
    worker.emit('message', { id: 0, error: 'no such column' });
    await expect(failing).rejects.toEqual(new StoneError('no such column'));

    const fine = thread.request({ query: 'good' });
    worker.emit('message', { id: 1, value: 'rows' });
    await expect(fine).resolves.toBe('rows');
    expect(lastWorker()).toBe(worker);
  });

  it.each([
    ['an error', (worker: FakeWorker) => worker.emit('error', new Error('out of memory')), 'out of memory'],
    ['an exit', (worker: FakeWorker) => worker.emit('exit', 1), 'it exited with code 1'],
  ])(
    'fails every request a thread owed at %s, starts another for the next, and ignores the dead one',
    async (_death, die, cause) => {
      const { thread, workersBefore } = open();
      const owed = [thread.request({ query: 'a' }), thread.request({ query: 'b' })];
      const dead = lastWorker();
      die(dead);
      for (const request of owed)
        await expect(request).rejects.toEqual(new StoneError(`the stone thread failed: ${cause}`));
      expect(thread.inFlight).toBe(0);

      const next = thread.request({ query: 'c' });
      const replacement = lastWorker();
      expect(workers).toHaveLength(workersBefore + 2);
      expect(replacement.posted).toEqual([{ query: 'c', id: 2 }]);
      // Even a reply whose id matches a request now in flight settles nothing from a replaced thread.
      dead.emit('message', { id: 2, value: 'stale' });
      dead.emit('exit', 1);
      expect(await settledYet(next)).toBe(false);
      replacement.emit('message', { id: 2, value: 'fresh' });
      await expect(next).resolves.toBe('fresh');
    },
  );

  it('stops once the requests in flight are answered, keeping the process alive until the thread exits', async () => {
    const { thread } = open();
    const inFlight = thread.request({ query: 'a' });
    const worker = lastWorker();
    const stopped = thread.stop();
    expect(thread.stop()).toBe(stopped);
    expect(worker.posted.at(-1)).toBe('stop');
    await expect(thread.request({ query: 'late' })).rejects.toEqual(new StoneError('the stone is closed'));

    worker.emit('message', { id: 0, value: 'A' });
    await expect(inFlight).resolves.toBe('A');
    // Nothing in flight, and still referenced: the thread has not exited yet.
    expect(worker.referenced).toBe(true);
    expect(await settledYet(stopped)).toBe(false);
    worker.emit('exit', 0);
    await expect(stopped).resolves.toBeUndefined();
  });

  it('stops at once, starting no thread, when none was started', async () => {
    const { thread, workersBefore } = open();
    await expect(thread.stop()).resolves.toBeUndefined();
    expect(workers).toHaveLength(workersBefore);
    await expect(thread.request({ query: 'late' })).rejects.toEqual(new StoneError('the stone is closed'));
  });
});
