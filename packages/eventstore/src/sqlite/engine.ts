/** Opens the embedded engine: event store, outbox and bus over one SQLite file. */
import { routedReads, type ReadCounts } from '@nexo/sqlite-readers';
import type { DeadLetter, EventEngine } from '../port.ts';
import { BUS_DEFAULTS, isTransientFailure } from '../delivery.ts';
import { createLogBus } from './bus.ts';
import { startCheckpointer } from './checkpointer.ts';
import { CommitSignal } from './commit-signal.ts';
import { createConsumerLog } from './consumer-log.ts';
import { READER_PRAGMAS, openEventDatabase } from './database.ts';
import { createSqliteEventStore, createSqliteOutbox, disabledOutbox } from './event-store.ts';
import { GroupCommit } from './group-commit.ts';
import { READ_STREAM_SQL, prepareStatements, type EventRow, type EventStatements } from './statements.ts';

export interface SqliteEventStoreOptions {
  /** Path of the database file (created with its directory when missing), or `:memory:`. */
  readonly file: string;
  /** How often an idle subscription looks for events another process appended (default 200 ms). */
  readonly pollIntervalMs?: number;
  /**
   * Whether appends also enter the outbox (default true). Only a relay drains the outbox, so a
   * store whose events reach consumers through its own bus alone (the all-in-one embedded hub)
   * opens with `false`: nothing accumulates, and rows left by an earlier run with an outbox are
   * dropped on open (at a later open if the disk is full) — the embedded bus reads the log itself
   * and never needed them.
   */
  readonly outbox?: boolean;
  /**
   * Run the log's WAL checkpoints on a thread of their own (checkpointer.ts; default true for a
   * file). A second engine over the same file in the same process (the hub's projector thread)
   * leaves them to the first: one checkpointer per file is enough.
   */
  readonly checkpointer?: boolean;
  /**
   * Threads that read streams (`readStream`) off the calling thread while the log's reads are slow
   * (default 0: always on it). Deciding on a new submission reads its stream, and in a log larger
   * than the page cache that read waits for the disk: on the hub's request thread, every request
   * would wait with it. See @nexo/sqlite-readers (read-routing.ts). Ignored for `:memory:`.
   */
  readonly readerThreads?: number;
  /** The average read time, in µs, from which reads go to the threads (tests set 0: every read). */
  readonly offloadAboveMicros?: number;
}

export interface SqliteEventEngine extends EventEngine {
  /** The log's stream reads so far, by where they ran (read-routing.ts): for a metrics scrape. */
  readCounts(): ReadCounts;
}

/**
 * Drops the outbox rows an earlier run with an outbox left. Opening never writes unless there are
 * some: a write at open fails on a full disk (the WAL cannot grow), and a hub that cannot write
 * must still start, serve reads and say it is not ready. When the rows cannot be dropped now
 * (full, locked), they stay: nothing reads an outbox that is off, and the next open drops them.
 */
const dropOutboxRows = (statements: EventStatements): void => {
  if (statements.outboxEmpty.get() === 1) return;
  try {
    statements.outboxClear.run();
  } catch (error) {
    if (!isTransientFailure(error)) throw error;
  }
};

export const openSqliteEventStore = (options: SqliteEventStoreOptions): SqliteEventEngine => {
  const pollIntervalMs = options.pollIntervalMs ?? BUS_DEFAULTS.pollIntervalMs;
  if (!(pollIntervalMs > 0)) throw new RangeError(`pollIntervalMs must be > 0, got ${pollIntervalMs}`);
  const withOutbox = options.outbox ?? true;
  const db = openEventDatabase(options.file);
  const checkpointer =
    options.file === ':memory:' || options.checkpointer === false
      ? undefined
      : startCheckpointer(options.file);
  const statements = prepareStatements(db);
  if (!withOutbox) dropOutboxRows(statements);
  const signal = new CommitSignal();
  const commits = new GroupCommit(db, statements, withOutbox, () => signal.notify());
  const reads = routedReads({
    file: options.file,
    threads: options.readerThreads,
    queries: { readStream: READ_STREAM_SQL },
    pragmas: READER_PRAGMAS,
    ...(options.offloadAboveMicros === undefined ? {} : { offloadAboveMicros: options.offloadAboveMicros }),
  });
  const log = createConsumerLog(db, statements);
  const bus = createLogBus(log, signal, pollIntervalMs);

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      await bus.close();
      await reads.close();
      await commits.close();
      await checkpointer?.stop();
      db.close();
    })());

  return {
    store: createSqliteEventStore(statements, commits, close, (stream) =>
      reads.all<EventRow>('readStream', [stream], () => statements.readStream.all(stream)),
    ),
    outbox: withOutbox ? createSqliteOutbox(db, statements) : disabledOutbox,
    bus,
    deadLetters: async (group: string): Promise<DeadLetter[]> => log.deadLetters(group),
    deadLetterCount: async (group: string): Promise<number> => log.deadLetterCount(group),
    resolveDeadLetters: async (group: string, positions: readonly number[]): Promise<number> =>
      log.resolveDeadLetters(group, positions),
    readCounts: () => reads.counts(),
    close,
  };
};
