/**
 * Reader threads for a SQLite file. A read that misses the page cache waits for the disk, and on the
 * main thread that wait stops every other request: with a large file (a 10M-event log, the read
 * models of 1M citizens) most point reads miss. The pool runs named SELECTs on worker threads, each
 * with its own read-only connection, so the main thread goes on serving while a read waits; several
 * threads also keep several disk reads in flight. Each read sees the last commit (WAL), so a read
 * issued after a write resolved sees that write.
 */
import { RequestThread } from './request-thread.ts';

export interface ReaderPoolOptions<Query extends string> {
  /** The database file; it must exist (the writer opens it first). */
  readonly file: string;
  /** Reader threads, at least 1. */
  readonly threads: number;
  /** The SELECTs a read may name, prepared once on each thread. */
  readonly queries: Readonly<Record<Query, string>>;
  /** PRAGMAs each reader connection runs when it opens (`busy_timeout = 5000`, `mmap_size = …`). */
  readonly pragmas?: readonly string[];
  /** Told how long each read took on its thread, in µs (the hop and the queue left out). */
  readonly observe?: (micros: number) => void;
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

type Reply = { readonly rows: unknown[]; readonly micros: number } | { readonly error: string };

const WORKER_URL = new URL('./reader-worker.mjs', import.meta.url);

const rowsOf =
  (observe: ((micros: number) => void) | undefined) =>
  (reply: Reply): unknown[] => {
    if ('error' in reply) throw new ReaderThreadError(reply.error);
    observe?.(reply.micros);
    return reply.rows;
  };

/** One thread and the reads it owes. A thread that dies fails its reads; the next read starts another. */
type Reader = RequestThread<Reply, unknown[]>;

const newReader = (workerData: unknown, observe: ((micros: number) => void) | undefined): Reader =>
  new RequestThread({
    url: WORKER_URL,
    workerData,
    resultOf: rowsOf(observe),
    failed: (cause) => new ReaderUnavailableError(`the reader thread failed: ${cause.message}`, { cause }),
    stopped: () => new ReaderUnavailableError('the reader pool is closed'),
  });

export const openReaderPool = <Query extends string>(
  options: ReaderPoolOptions<Query>,
): ReaderPool<Query> => {
  if (!Number.isSafeInteger(options.threads) || options.threads < 1)
    throw new RangeError(`reader threads must be an integer ≥ 1, got ${options.threads}`);
  const workerData = { file: options.file, pragmas: options.pragmas ?? [], queries: options.queries };
  const readers = Array.from({ length: options.threads }, () => newReader(workerData, options.observe));
  let next = 0;

  /** The reader with the fewest reads in flight, taken in turn among equals. */
  const pick = (): Reader => {
    let best: Reader | undefined;
    for (let i = 0; i < readers.length; i++) {
      const reader = readers[(next + i) % readers.length] as Reader;
      if (best === undefined || reader.inFlight < best.inFlight) best = reader;
      if (best.inFlight === 0) break;
    }
    next = (next + 1) % readers.length;
    return best as Reader;
  };

  return {
    // Once the pool is closing, every reader refuses the read.
    all: <Row>(query: Query, params: readonly unknown[]): Promise<Row[]> =>
      pick().request({ query, params }) as Promise<Row[]>,
    close: async () => {
      await Promise.all(readers.map((reader) => reader.stop()));
    },
  };
};
