/**
 * Reader threads for a SQLite file. A read that misses the page cache waits for the disk, and on the
 * main thread that wait stops every other request: with a large file (a 10M-event log, the read
 * models of 1M citizens) most point reads miss. The pool runs named SELECTs on worker threads, each
 * with its own read-only connection, so the main thread goes on serving while a read waits; several
 * threads also keep several disk reads in flight. Each read sees the last commit (WAL), so a read
 * issued after a write resolved sees that write.
 */
import { Worker } from 'node:worker_threads';

export interface ReaderPoolOptions<Query extends string> {
  /** The database file; it must exist (the writer opens it first). */
  readonly file: string;
  /** Reader threads, at least 1. */
  readonly threads: number;
  /** The SELECTs a read may name, prepared once on each thread. */
  readonly queries: Readonly<Record<Query, string>>;
  /** PRAGMAs each reader connection runs when it opens (`busy_timeout = 5000`, `mmap_size = …`). */
  readonly pragmas?: readonly string[];
}

export interface ReaderPool<Query extends string> {
  /** The rows of `query` with `params`, read on the least busy thread. */
  all<Row>(query: Query, params: readonly unknown[]): Promise<Row[]>;
  /** Waits for the reads in flight, then stops the threads. */
  close(): Promise<void>;
}

export class ReaderThreadError extends Error {
  readonly code = 'NEXO_ERR_READER_THREAD';
}

/**
 * A read that no thread can answer: its thread died, or the pool is closing. Worth retrying, so an
 * HTTP edge answers it 503 (`statusCode`), unlike a statement that failed (a fault: 500).
 */
export class ReaderUnavailableError extends ReaderThreadError {
  readonly statusCode = 503;
}

interface Pending {
  readonly resolve: (rows: unknown[]) => void;
  readonly reject: (error: Error) => void;
}

type Reply =
  { readonly id: number; readonly rows: unknown[] } | { readonly id: number; readonly error: string };

const WORKER_URL = new URL('./reader-worker.mjs', import.meta.url);

/** One thread and the reads it owes. A thread that dies fails its reads; the next read starts another. */
class Reader {
  readonly #pending = new Map<number, Pending>();
  readonly #workerData: unknown;
  #worker: Worker | undefined;
  #exited: Promise<void> = Promise.resolve();
  #nextId = 0;
  /** Set by stop(): the thread then keeps the process alive until it exits. */
  #stopping = false;

  constructor(workerData: unknown) {
    this.#workerData = workerData;
  }

  get load(): number {
    return this.#pending.size;
  }

  read(query: string, params: readonly unknown[]): Promise<unknown[]> {
    const worker = (this.#worker ??= this.#start());
    const id = this.#nextId++;
    return new Promise<unknown[]>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      // Only a thread with reads in flight keeps the process alive.
      if (this.#pending.size === 1) worker.ref();
      worker.postMessage({ id, query, params });
    });
  }

  async stop(): Promise<void> {
    const worker = this.#worker;
    if (worker === undefined) return;
    this.#stopping = true;
    worker.ref();
    worker.postMessage('stop');
    await this.#exited;
  }

  #start(): Worker {
    const worker = new Worker(WORKER_URL, { workerData: this.#workerData });
    worker.unref();
    this.#exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.on('message', (reply: Reply) => this.#settle(worker, reply));
    worker.on('error', (error) => this.#fail(worker, error));
    worker.on('exit', (code) => this.#fail(worker, new Error(`the reader thread exited with code ${code}`)));
    return worker;
  }

  #settle(worker: Worker, reply: Reply): void {
    const pending = this.#pending.get(reply.id);
    if (pending === undefined) return;
    this.#pending.delete(reply.id);
    // Unreferenced while it stops, the process could exit before the thread does, and whoever
    // awaits close() would never go on.
    if (this.#pending.size === 0 && !this.#stopping) worker.unref();
    if ('error' in reply) pending.reject(new ReaderThreadError(reply.error));
    else pending.resolve(reply.rows);
  }

  #fail(worker: Worker, cause: Error): void {
    if (this.#worker !== worker) return;
    this.#worker = undefined;
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const { reject } of pending)
      reject(new ReaderUnavailableError(`the reader thread failed: ${cause.message}`, { cause }));
  }
}

/**
 * The pool an adapter's `readerThreads` option asks for: none for 0 (reads stay on the calling
 * thread) or for `:memory:` (a database no other connection can open).
 */
export const readerPoolFor = <Query extends string>(
  options: Omit<ReaderPoolOptions<Query>, 'threads'> & { readonly threads: number | undefined },
): ReaderPool<Query> | undefined =>
  options.file === ':memory:' || !options.threads
    ? undefined
    : openReaderPool({ ...options, threads: options.threads });

export const openReaderPool = <Query extends string>(
  options: ReaderPoolOptions<Query>,
): ReaderPool<Query> => {
  if (!Number.isSafeInteger(options.threads) || options.threads < 1)
    throw new RangeError(`reader threads must be an integer ≥ 1, got ${options.threads}`);
  const workerData = { file: options.file, pragmas: options.pragmas ?? [], queries: options.queries };
  const readers = Array.from({ length: options.threads }, () => new Reader(workerData));
  let next = 0;
  let closing: Promise<void> | undefined;

  /** The reader with the fewest reads in flight, taken in turn among equals. */
  const pick = (): Reader => {
    let best: Reader | undefined;
    for (let i = 0; i < readers.length; i++) {
      const reader = readers[(next + i) % readers.length] as Reader;
      if (best === undefined || reader.load < best.load) best = reader;
      if (best.load === 0) break;
    }
    next = (next + 1) % readers.length;
    return best as Reader;
  };

  return {
    all: <Row>(query: Query, params: readonly unknown[]): Promise<Row[]> => {
      if (closing) return Promise.reject(new ReaderUnavailableError('the reader pool is closed'));
      return pick().read(query, params) as Promise<Row[]>;
    },
    // A thread answers its messages in order, so the reads sent before its 'stop' finish first.
    close: () => (closing ??= Promise.all(readers.map((reader) => reader.stop())).then(() => undefined)),
  };
};
