/**
 * Appends to the embedded audit log from a thread of its own (writer-thread.mjs). Every read of
 * individual data waits for its entry, and with `synchronous=FULL` each commit ends in an fsync: on
 * the request thread that wait held every other request (a fifth of a card read's time on the
 * request thread, measured). The thread commits one batch at a time; what arrives meanwhile waits
 * and goes in the next batch, so under load one fsync serves many entries (group commit).
 */
import { Worker } from 'node:worker_threads';
import type { AuditEntry, AuditEvent } from './port.ts';

export interface AuditWriterOptions {
  /** The audit file; it must exist with its schema (the opening connection creates both). */
  readonly file: string;
  /** PRAGMAs the writer's connection runs when it opens. */
  readonly pragmas: readonly string[];
  /** Reads the last entry's `seq` and `hash`. */
  readonly headSql: string;
  /** Inserts one entry from named parameters (see writer-thread.mjs). */
  readonly insertSql: string;
}

export interface AuditWriter {
  append(event: AuditEvent): Promise<AuditEntry>;
  /** Waits for the entries already asked for, then stops the thread. */
  close(): Promise<void>;
}

interface Pending {
  readonly event: AuditEvent;
  readonly resolve: (entry: AuditEntry) => void;
  readonly reject: (error: Error) => void;
}

type Link = Pick<AuditEntry, 'seq' | 'prevHash' | 'hash'>;
type Reply = { readonly links: readonly Link[] } | { readonly error: string };

const WORKER_URL = new URL('./writer-thread.mjs', import.meta.url);

export const startAuditWriter = (options: AuditWriterOptions): AuditWriter => {
  let queue: Pending[] = [];
  /** The batch the thread is committing; one at a time, so entries keep their order. */
  let committing: Pending[] | undefined;
  let scheduled = false;
  let worker: Worker | undefined;
  let exited: Promise<void> = Promise.resolve();
  let closing: Promise<void> | undefined;
  let drained: (() => void) | undefined;

  const settle = (reply: Reply) => {
    const batch = committing ?? [];
    committing = undefined;
    if ('error' in reply) {
      const error = new Error(`the audit log could not be written: ${reply.error}`);
      for (const p of batch) p.reject(error);
    } else {
      batch.forEach((p, i) => p.resolve({ ...p.event, ...(reply.links[i] as Link) }));
    }
    next();
  };

  /** A thread that died fails the batch it held; the next batch starts another thread. */
  const fail = (failed: Worker, cause: Error) => {
    if (worker !== failed) return;
    worker = undefined;
    if (committing) settle({ error: `the writer thread failed: ${cause.message}` });
  };

  const start = (): Worker => {
    const started = new Worker(WORKER_URL, { workerData: options });
    started.unref();
    exited = new Promise<void>((resolve) => started.once('exit', () => resolve()));
    // A reply from a thread already given up on must not settle the batch another thread holds.
    started.on('message', (reply: Reply) => {
      if (worker === started) settle(reply);
    });
    started.on('error', (error) => fail(started, error));
    started.on('exit', (code) => fail(started, new Error(`it exited with code ${code}`)));
    return started;
  };

  const next = () => {
    if (committing !== undefined) return;
    if (queue.length === 0) {
      worker?.unref();
      drained?.();
      return;
    }
    committing = queue;
    queue = [];
    const thread = (worker ??= start());
    // Only a thread with entries to commit keeps the process alive.
    thread.ref();
    thread.postMessage({ events: committing.map((p) => p.event) });
  };

  return {
    append: (event) => {
      if (closing) return Promise.reject(new Error('the audit log is closed'));
      return new Promise<AuditEntry>((resolve, reject) => {
        queue.push({ event, resolve, reject });
        // The appends of one tick go together.
        if (scheduled) return;
        scheduled = true;
        setImmediate(() => {
          scheduled = false;
          next();
        });
      });
    },
    close: () =>
      (closing ??= (async () => {
        if (scheduled || committing !== undefined || queue.length > 0)
          await new Promise<void>((resolve) => (drained = resolve));
        const thread = worker;
        if (thread === undefined) return;
        worker = undefined;
        thread.ref();
        thread.postMessage('stop');
        await exited;
      })()),
  };
};
