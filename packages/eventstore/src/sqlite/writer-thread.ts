/**
 * Appends committed on a thread of their own. better-sqlite3 is synchronous, so a group commit on
 * the caller's thread holds its event loop for the whole transaction, fsync included (a fifth of
 * the hub's ingest thread in the profile). Here the caller serialises each append's event data
 * and posts the appends of one turn of its event loop together; the writer thread runs them
 * through the same GroupCommit on its own connection to the file (WAL: one writer, readers beside
 * it) and answers once they are durable. Nothing about durability changes: an append resolves
 * after its transaction committed with `synchronous=FULL`, which is also when other connections
 * first see it.
 */
import { Worker } from 'node:worker_threads';
import {
  ConcurrencyError,
  EVENTSTORE_ERRORS,
  type AppendResult,
  type NewEvent,
  type StoredEvent,
} from '../port.ts';
import { serialise } from './group-commit.ts';
import type {
  AppendFailed,
  AppendRequest,
  FromWriter,
  ToWriter,
  WriterWorkerData,
} from './writer-protocol.ts';

interface Waiting {
  readonly stream: string;
  readonly events: readonly NewEvent[];
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

/** The error an append failed with, rebuilt on this side of the thread boundary. */
const rebuildError = ({ error }: AppendFailed): Error => {
  if (error.code === EVENTSTORE_ERRORS.concurrency)
    return new ConcurrencyError(error.stream ?? '', error.expectedVersion ?? -1, error.actualVersion ?? -1);
  return Object.assign(new Error(error.message), error.code === undefined ? {} : { code: error.code });
};

export class WriterThread {
  readonly #worker: Worker;
  readonly #onCommitted: () => void;
  readonly #waiting = new Map<number, Waiting>();
  #outgoing: AppendRequest[] = [];
  #flushScheduled = false;
  #nextId = 0;
  /** Set once the thread can no longer commit: every later append fails with it. */
  #stopped: Error | undefined;
  #closing: Promise<void> | undefined;
  readonly #exited: Promise<void>;

  constructor(file: string, outbox: boolean, onCommitted: () => void) {
    this.#onCommitted = onCommitted;
    const data: WriterWorkerData = { file, outbox };
    this.#worker = new Worker(new URL('./writer-worker.mjs', import.meta.url), { workerData: data });
    this.#worker.on('message', (message: FromWriter) => this.#receive(message));
    this.#worker.on('error', (error) => this.#stop(error));
    this.#exited = new Promise((resolve) =>
      this.#worker.once('exit', () => {
        this.#stop(new Error('the event log writer thread stopped'));
        resolve();
      }),
    );
  }

  append(stream: string, expectedVersion: number, events: readonly NewEvent[]): Promise<AppendResult> {
    if (this.#closing !== undefined || this.#stopped !== undefined)
      return Promise.reject(this.#stopped ?? new Error('the event store is closed'));
    let request: AppendRequest;
    try {
      request = {
        id: this.#nextId++,
        stream,
        expectedVersion,
        events: events.map((event) => ({ ...event, data: serialise(event).data })),
      };
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<AppendResult>((resolve, reject) => {
      this.#waiting.set(request.id, { stream, events, resolve, reject });
      this.#outgoing.push(request);
      if (!this.#flushScheduled) {
        this.#flushScheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  /** Refuses new appends, waits for those already sent, then stops the thread. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      if (this.#flushScheduled) await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.#stopped === undefined) this.#send({ type: 'close' });
      await this.#exited;
    })();
    return this.#closing;
  }

  #send(message: ToWriter): void {
    this.#worker.postMessage(message);
  }

  #flush(): void {
    this.#flushScheduled = false;
    const appends = this.#outgoing;
    this.#outgoing = [];
    if (appends.length > 0) this.#send({ type: 'append', appends });
  }

  #receive(message: FromWriter): void {
    switch (message.type) {
      case 'committed': {
        let committed = false;
        for (const outcome of message.outcomes) {
          const waiting = this.#waiting.get(outcome.id);
          if (waiting === undefined) continue;
          this.#waiting.delete(outcome.id);
          if (!outcome.ok) {
            waiting.reject(rebuildError(outcome));
            continue;
          }
          committed ||= outcome.positions.length > 0;
          const firstVersion = outcome.version - waiting.events.length;
          waiting.resolve({
            version: outcome.version,
            events: waiting.events.map((event, index): StoredEvent => ({
              ...event,
              stream: waiting.stream,
              version: firstVersion + index + 1,
              position: outcome.positions[index] ?? 0,
              recordedAt: outcome.recordedAt,
            })),
          });
        }
        if (committed) this.#onCommitted();
        return;
      }
      case 'failed':
        this.#stop(new Error(`the event log writer thread failed to open the log: ${message.reason}`));
        void this.#worker.terminate();
        return;
      case 'closed':
        void this.#worker.terminate();
        return;
      case 'ready':
        return;
    }
  }

  #stop(error: Error): void {
    this.#stopped ??= error;
    for (const waiting of this.#waiting.values()) waiting.reject(this.#stopped);
    this.#waiting.clear();
  }
}
