/**
 * The projector of the all-in-one hub on its own thread. On the embedded engines the projector
 * and ingest used to share one event loop: every projected batch (reading the log back, folding
 * read models, writing them) delayed the requests waiting behind it, and the hub used one core.
 * A worker thread with its own SQLite connections runs the same `startProjector` beside ingest,
 * over the same files (WAL lets them read and write side by side). Other engines keep the
 * projector in-process: Kafka and MongoDB clients do their waiting off the event loop already.
 */
import { Worker } from 'node:worker_threads';
import { plainThreadArgv } from '@nexo/sqlite-readers';
import { READ_MODEL_INDEXES } from '@nexo/domain';
import type { Subscription } from '@nexo/eventstore';
import { startProjector } from '@nexo/projector';
import type { EngineConfig, Engines } from '@nexo/runtime';
import type { FromProjectorThread, ToProjectorThread } from './projector-protocol.ts';

/**
 * Starts the projector: on a worker thread when asked to and the engines are embedded, in-process
 * otherwise (tests that build the hub in-process keep the projector on their own event loop).
 */
export const startProjection = async (
  config: EngineConfig,
  engines: Engines,
  onThread: boolean,
): Promise<Subscription> => {
  const embedded =
    (config.busEngine ?? 'sqlite') === 'sqlite' && (config.readEngine ?? 'sqlite') === 'sqlite';
  if (!onThread || !embedded)
    return startProjector({
      bus: engines.bus,
      store: engines.store,
      readStore: engines.readStore,
      deadLetters: engines,
    });
  // This thread's read store answers the APIs' queries: it must know the indexes they use.
  await engines.readStore.ensureIndexes(READ_MODEL_INDEXES);
  return startProjectorThread(config.dataDir);
};

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/** A Subscription whose consumer group runs in a worker thread over the data folder's files. */
export const startProjectorThread = (dataDir: string): Promise<Subscription> =>
  new Promise((resolveStarted, rejectStarted) => {
    // The thread registers tsx itself (projector-worker.mjs): the process's loader option is not passed again.
    const worker = new Worker(new URL('./projector-worker.mjs', import.meta.url), {
      workerData: { dataDir },
      execArgv: plainThreadArgv(),
    });
    const waiters = new Map<number, Waiter>();
    let nextId = 0;
    let exited = false;
    let stopping: Promise<void> | undefined;
    const send = (message: ToProjectorThread): void => worker.postMessage(message);
    const failWaiters = (error: Error): void => {
      for (const waiter of waiters.values()) waiter.reject(error);
      waiters.clear();
    };
    const exit = new Promise<void>((resolve) =>
      worker.once('exit', () => {
        exited = true;
        failWaiters(new Error('the projector thread stopped'));
        rejectStarted(new Error('the projector thread exited before it started'));
        resolve();
      }),
    );
    const subscription: Subscription = {
      caughtUp: () =>
        exited
          ? Promise.reject(new Error('the projector thread is stopped'))
          : new Promise<void>((resolve, reject) => {
              const id = nextId++;
              waiters.set(id, { resolve, reject });
              send({ type: 'caughtUp', id });
            }),
      stop: () =>
        (stopping ??= (async () => {
          if (!exited) send({ type: 'stop' });
          await exit;
        })()),
    };
    worker.on('message', (message: FromProjectorThread) => {
      if (message.type === 'started') resolveStarted(subscription);
      else if (message.type === 'failed')
        rejectStarted(
          Object.assign(new Error(`the projector thread failed to start: ${message.reason}`), {
            code: message.code,
          }),
        );
      else if (message.type === 'caughtUp') {
        const waiter = waiters.get(message.id);
        waiters.delete(message.id);
        if (message.error === undefined) waiter?.resolve();
        else waiter?.reject(new Error(message.error));
      }
    });
    worker.once('error', (error) => {
      failWaiters(error);
      rejectStarted(error);
    });
  });
