/**
 * The log as a consumer group sees it: events after its checkpoint, and its dead letters. A
 * resolved dead letter is deleted: its event stays in the log, and the replay that resolved it says so.
 */
import type { DeadLetter, StoredEvent } from '../port.ts';
import type { SqliteDatabase } from './database.ts';
import type { EventStatements } from './statements.ts';
import { toStoredEvent } from './statements.ts';

export interface ConsumerLog {
  read(afterPosition: number, limit: number): StoredEvent[];
  head(): number;
  checkpoint(group: string): number;
  saveCheckpoint(group: string, position: number): void;
  /** Records the event as a dead letter and moves the group past it, in one transaction. */
  deadLetter(group: string, event: StoredEvent, reason: string): void;
  deadLetters(group: string): DeadLetter[];
  deadLetterCount(group: string): number;
  /** Drops the group's dead letters at these positions, in one transaction; how many it dropped. */
  resolveDeadLetters(group: string, positions: readonly number[]): number;
}

export const createConsumerLog = (db: SqliteDatabase, statements: EventStatements): ConsumerLog => {
  const deadLetter = db.transaction((group: string, position: number, reason: string, failedAt: string) => {
    statements.insertDeadLetter.run(group, position, reason, failedAt);
    statements.saveCheckpoint.run(group, position, failedAt);
  });
  const resolve = db.transaction((group: string, positions: readonly number[]) => {
    let resolved = 0;
    for (const position of new Set(positions)) {
      if (Number.isSafeInteger(position))
        resolved += statements.resolveDeadLetter.run(group, position).changes;
    }
    return resolved;
  });
  return {
    read: (afterPosition, limit) => statements.readAll.all(afterPosition, limit).map(toStoredEvent),
    head: () => statements.headPosition.get() ?? 0,
    checkpoint: (group) => statements.checkpoint.get(group) ?? 0,
    saveCheckpoint: (group, position) => {
      // A checkpoint commit skips the fsync (synchronous=NORMAL for this one statement): losing it
      // to a power cut only re-delivers a batch, which at-least-once delivery allows, and the next
      // append's FULL commit syncs the WAL with it. One fsync per consumer batch was ~4% of ingest CPU.
      db.pragma('synchronous = NORMAL');
      try {
        statements.saveCheckpoint.run(group, position, new Date().toISOString());
      } finally {
        db.pragma('synchronous = FULL');
      }
    },
    deadLetter: (group, event, reason) => {
      deadLetter(group, event.position, reason, new Date().toISOString());
    },
    deadLetters: (group) =>
      statements.deadLetters.all(group).map((row) => ({
        group: row.deadLetterGroup,
        event: toStoredEvent(row),
        reason: row.reason,
        failedAt: row.failedAt,
      })),
    deadLetterCount: (group) => statements.deadLetterCount.get(group) ?? 0,
    resolveDeadLetters: (group, positions) => (positions.length === 0 ? 0 : resolve(group, positions)),
  };
};
