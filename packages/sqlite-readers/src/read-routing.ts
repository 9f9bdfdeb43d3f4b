/**
 * Where each read of a SQLite file runs. While the page cache answers the file's reads, a read on
 * the calling thread takes tens of µs, less than the hop to a thread and back; once the file has
 * outgrown the cache (a 10M-event log, the read models of 1M citizens), a read waits for the disk,
 * and on the calling thread every other request waits with it. So reads run on the calling thread
 * until most of the recent ones were slow, then on reader threads until few of them are. Each read
 * is timed wherever it ran (a thread times the read alone, not the hop or its queue), so the
 * choice turns back once the file is cached again, and a deployment needs no setting for the size
 * of its files (ADR 0016).
 */
import { openReaderPool, type ReaderPool, type ReaderPoolOptions } from './reader-pool.ts';

/**
 * A read slower than this is a slow one. A page-cache hit (a stream of a few events, a document)
 * takes 10–50 µs on the bench VM; a hop to a thread costs the calling thread about as much, and the
 * read's answer 100–200 µs more; a read from disk takes 0.6 ms or more.
 */
export const SLOW_READ_MICROS = 250;
/** The weight of the last read in the share of slow reads: about the last 16 reads decide. */
const LAST_READ_WEIGHT = 1 / 16;
/**
 * Reads go to the threads once half the recent reads were slow, and come back once a quarter were.
 * Counting slow reads rather than averaging their times keeps one read that the OS paused (the
 * load generator shares the cores) from sending the next ones to a thread; the gap between the
 * two shares keeps a file half in the cache from switching at every read.
 */
const OFFLOAD_FROM_SHARE = 1 / 2;
const RETURN_BELOW_SHARE = 1 / 4;

export interface RoutedReadsOptions<Query extends string> extends Omit<
  ReaderPoolOptions<Query>,
  'threads' | 'observe'
> {
  /** Reader threads, started on the first read sent to them; 0 or undefined: every read on the calling thread. */
  readonly threads: number | undefined;
  /** The time, in µs, from which a read is slow (default SLOW_READ_MICROS); 0: every read on a thread. */
  readonly slowReadMicros?: number;
  /** The clock that times reads on the calling thread, in ms (performance.now). */
  readonly now?: () => number;
}

export interface RoutedReads<Query extends string> {
  /**
   * The rows of `query` with `params`: `inline()` on the calling thread, or `query` on the least
   * busy reader thread. Both must read the same rows.
   */
  all<Row>(query: Query, params: readonly unknown[], inline: () => Row[]): Promise<Row[]>;
  /** Waits for the reads in flight on threads, then stops them. */
  close(): Promise<void>;
}

/**
 * The reads an adapter's `readerThreads` option asks for: only on the calling thread for 0 or for
 * `:memory:` (a database no other connection can open).
 */
export const routedReads = <Query extends string>(options: RoutedReadsOptions<Query>): RoutedReads<Query> => {
  const { threads, slowReadMicros = SLOW_READ_MICROS, now = () => performance.now(), ...pool } = options;
  if (!Number.isFinite(slowReadMicros) || slowReadMicros < 0)
    throw new RangeError(`slowReadMicros must be ≥ 0, got ${slowReadMicros}`);
  let slowShare = 0;
  let offloading = slowReadMicros === 0;
  const observe = (micros: number): void => {
    slowShare += ((micros > slowReadMicros ? 1 : 0) - slowShare) * LAST_READ_WEIGHT;
    if (slowReadMicros === 0) return;
    if (slowShare >= OFFLOAD_FROM_SHARE) offloading = true;
    else if (slowShare <= RETURN_BELOW_SHARE) offloading = false;
  };
  const readers: ReaderPool<Query> | undefined =
    options.file === ':memory:' || !threads ? undefined : openReaderPool({ ...pool, threads, observe });
  return {
    all: async <Row>(query: Query, params: readonly unknown[], inline: () => Row[]): Promise<Row[]> => {
      if (readers !== undefined && offloading) return readers.all<Row>(query, params);
      const started = now();
      try {
        return inline();
      } finally {
        observe((now() - started) * 1000);
      }
    },
    close: async () => {
      await readers?.close();
    },
  };
};
