/** The embedded EventStore and Outbox: reads go straight to the log, appends through group commit. */
import type { AppendResult, EventStore, NewEvent, Outbox, StoredEvent } from '../port.ts';
import type { SqliteDatabase } from './database.ts';
import type { GroupCommit } from './group-commit.ts';
import type { EventRow, EventStatements } from './statements.ts';
import { toStoredEvent } from './statements.ts';

/** Reads a stream's rows, on the calling thread or a reader thread (see engine.ts). */
export type StreamReader = (stream: string) => Promise<EventRow[]>;

const assertLimit = (limit: number): void => {
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw new RangeError(`limit must be an integer ≥ 1, got ${limit}`);
};

export const createSqliteEventStore = (
  statements: EventStatements,
  commits: GroupCommit,
  close: () => Promise<void>,
  readStreamRows: StreamReader,
): EventStore => ({
  append: (stream: string, expectedVersion: number, events: readonly NewEvent[]): Promise<AppendResult> =>
    commits.append(stream, expectedVersion, events),
  readStream: async (stream: string): Promise<StoredEvent[]> =>
    (await readStreamRows(stream)).map(toStoredEvent),
  streamVersion: async (stream: string): Promise<number> => statements.streamVersion.get(stream) ?? 0,
  readAll: async (afterPosition: number, limit: number): Promise<StoredEvent[]> => {
    assertLimit(limit);
    return statements.readAll.all(afterPosition, limit).map(toStoredEvent);
  },
  headPosition: async (): Promise<number> => statements.headPosition.get() ?? 0,
  close,
});

export const createSqliteOutbox = (db: SqliteDatabase, statements: EventStatements): Outbox => {
  const markPublished = db.transaction((eventIds: readonly string[]) => {
    for (const id of eventIds) statements.outboxMarkPublished.run(id);
  });
  return {
    pending: async (limit: number): Promise<StoredEvent[]> => {
      assertLimit(limit);
      return statements.outboxPending.all(limit).map(toStoredEvent);
    },
    markPublished: async (eventIds: readonly string[]): Promise<void> => {
      if (eventIds.length > 0) markPublished(eventIds);
    },
    depth: async (): Promise<number> => statements.outboxDepth.get() ?? 0,
  };
};

/** The outbox of a store opened without one: appends never wait for publication. */
export const disabledOutbox: Outbox = {
  pending: async (limit: number): Promise<StoredEvent[]> => {
    assertLimit(limit);
    return [];
  },
  markPublished: async (): Promise<void> => undefined,
  depth: async (): Promise<number> => 0,
};
