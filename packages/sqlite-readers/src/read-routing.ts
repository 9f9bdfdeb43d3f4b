/**
 * Where each read of a SQLite file runs. While the page cache answers the file's reads, a read on
 * the calling thread takes tens of µs, less than the hop to a thread and back; once the file has
 * outgrown the cache (a 10M-event log, the read models of 1M citizens), a read waits for the disk,
 * and on the calling thread every other request waits with it. So a read runs on the calling
 * thread while the recent reads were quick, and on a reader thread while they were slow. The
 * choice follows a moving average of the reads' own times, wherever they ran (a thread reports
 * the time of the read alone, not of the hop), so it turns back once the file is cached again.
 * A deployment therefore needs no setting for the size of its files (ADR 0016). It counts where
 * its reads ran, so an operator sees when a file left the page cache (`nexo_sqlite_reads_total`).
 */
import { openReaderPool, type ReaderPool, type ReaderPoolOptions } from './reader-pool.ts';

/**
 * A read that slow on average is better waited for on a thread. A page-cache hit (a stream of a
 * few events, a document) takes 10–50 µs on the bench VM; a hop to a thread costs the calling
 * thread about as much, and the read's answer 100–200 µs more; a read from disk takes a millisecond
 * or more.
 */
export const OFFLOAD_ABOVE_MICROS = 250;
/** The weight of the last read in the moving average: about the last 16 reads decide. */
const LAST_READ_WEIGHT = 1 / 16;

export interface RoutedReadsOptions<Query extends string> extends Omit<
  ReaderPoolOptions<Query>,
  'threads' | 'observe'
> {
  /** Reader threads, started on the first slow read; 0 or undefined: every read on the calling thread. */
  readonly threads: number | undefined;
  /** The average read time, in µs, from which reads go to the threads; 0: every read does. */
  readonly offloadAboveMicros?: number;
  /** The clock that times reads on the calling thread, in ms (performance.now). */
  readonly now?: () => number;
}

/** The reads routed so far, by where they ran: on the calling thread, or on a reader thread. */
export interface ReadCounts {
  readonly inline: number;
  readonly thread: number;
}

export interface RoutedReads<Query extends string> {
  /**
   * The rows of `query` with `params`: `inline()` on the calling thread, or `query` on the least
   * busy reader thread. Both must read the same rows.
   */
  all<Row>(query: Query, params: readonly unknown[], inline: () => Row[]): Promise<Row[]>;
  /**
   * How many reads `all` routed each way so far, a read that failed included. Two integers kept
   * on the calling thread, read when asked (a metrics scrape): routing a read costs one increment.
   */
  counts(): ReadCounts;
  /** Waits for the reads in flight on threads, then stops them. */
  close(): Promise<void>;
}

/**
 * The reads an adapter's `readerThreads` option asks for: only on the calling thread for 0 or for
 * `:memory:` (a database no other connection can open).
 */
export const routedReads = <Query extends string>(options: RoutedReadsOptions<Query>): RoutedReads<Query> => {
  const {
    threads,
    offloadAboveMicros = OFFLOAD_ABOVE_MICROS,
    now = () => performance.now(),
    ...pool
  } = options;
  if (!Number.isFinite(offloadAboveMicros) || offloadAboveMicros < 0)
    throw new RangeError(`offloadAboveMicros must be ≥ 0, got ${offloadAboveMicros}`);
  let averageMicros = 0;
  let inlineReads = 0;
  let threadReads = 0;
  const observe = (micros: number): void => {
    averageMicros += (micros - averageMicros) * LAST_READ_WEIGHT;
  };
  const readers: ReaderPool<Query> | undefined =
    options.file === ':memory:' || !threads ? undefined : openReaderPool({ ...pool, threads, observe });
  return {
    all: async <Row>(query: Query, params: readonly unknown[], inline: () => Row[]): Promise<Row[]> => {
      if (readers !== undefined && averageMicros >= offloadAboveMicros) {
        threadReads++;
        return readers.all<Row>(query, params);
      }
      inlineReads++;
      const started = now();
      try {
        return inline();
      } finally {
        observe((now() - started) * 1000);
      }
    },
    counts: () => ({ inline: inlineReads, thread: threadReads }),
    close: async () => {
      await readers?.close();
    },
  };
};
