/**
 * Checkpoints of the event log run on a thread of their own. With SQLite's default, the commit that
 * fills the WAL past 1,000 pages copies them into the database file, fsyncs it, and only then
 * returns: a group of appends pays for it on the request path, and the cost grows with the log (a
 * big log's index pages are spread over the file, so a checkpoint writes more distinct pages). This
 * thread runs a PASSIVE checkpoint every 200 ms on its own connection instead; the
 * writers' automatic checkpoint (database.ts) is left as a backstop for when it is not running.
 */
import { Worker } from 'node:worker_threads';
import { plainThreadArgv } from '@nexo/sqlite-readers';
import { BUSY_TIMEOUT_MS } from './database.ts';

/**
 * How often the thread copies committed WAL frames into the database file. Each checkpoint ends
 * with an fsync of the file, and a page changed by many commits is copied once per checkpoint:
 * 200 ms measured fewer bundles' worth of CPU than 20 ms (420 against 449 µs a bundle).
 */
const CHECKPOINT_INTERVAL_MS = 200;

export interface Checkpointer {
  /** Runs a last checkpoint and stops the thread. */
  stop(): Promise<void>;
}

export const startCheckpointer = (file: string): Checkpointer => {
  const worker = new Worker(new URL('./checkpointer-worker.mjs', import.meta.url), {
    workerData: { file, intervalMs: CHECKPOINT_INTERVAL_MS, busyTimeoutMs: BUSY_TIMEOUT_MS },
    execArgv: plainThreadArgv(),
  });
  // Never what keeps a process alive; a thread that failed leaves the writers' backstop in place.
  worker.unref();
  worker.on('error', () => undefined);
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  let stopping: Promise<void> | undefined;
  return {
    stop: () =>
      (stopping ??= (async () => {
        // Unreferenced, the thread would not keep a process that is only closing alive until it exits.
        worker.ref();
        worker.postMessage('stop');
        await exited;
      })()),
  };
};
