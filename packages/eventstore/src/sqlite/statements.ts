/** Every SQL statement of the embedded event engine, prepared once when the file is opened. */
import type Database from 'better-sqlite3';
import type { StoredEvent } from '../port.ts';
import type { SqliteDatabase } from './database.ts';
import { joinData } from './detached-document.ts';

type Statement<Params extends unknown[], Result = unknown> = Database.Statement<Params, Result>;

export interface EventRow {
  readonly position: number;
  readonly id: string;
  readonly stream: string;
  readonly version: number;
  readonly type: string;
  readonly schemaVersion: number;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly sender: string;
  readonly citizenKey: string;
  readonly correlationId: string;
  readonly data: string;
  /** `data.document` when stored apart (detached-document.ts), else null. */
  readonly document: string | null;
}

export interface DeadLetterRow extends EventRow {
  readonly deadLetterGroup: string;
  readonly reason: string;
  readonly failedAt: string;
}

/** Positional parameters of `insertEvent`, in column order. */
export type EventInsert = [
  id: string,
  stream: string,
  version: number,
  type: string,
  schemaVersion: number,
  occurredAt: string,
  recordedAt: string,
  sender: string,
  citizenKey: string,
  correlationId: string,
  data: string,
  document: string | null,
];

const EVENT_COLUMNS = `e.position, e.id, e.stream, e.version, e.type, e.schema_version AS schemaVersion,
  e.occurred_at AS occurredAt, e.recorded_at AS recordedAt, e.sender, e.citizen_key AS citizenKey,
  e.correlation_id AS correlationId, e.data, e.document`;

/** A stream's events in order: on the writer's connection, and on reader threads (reader-pool). */
export const READ_STREAM_SQL = `SELECT ${EVENT_COLUMNS} FROM events e WHERE e.stream = ? ORDER BY e.version`;

export const toStoredEvent = (row: EventRow): StoredEvent => ({
  id: row.id,
  stream: row.stream,
  version: row.version,
  position: row.position,
  type: row.type,
  schemaVersion: row.schemaVersion,
  occurredAt: row.occurredAt,
  recordedAt: row.recordedAt,
  sender: row.sender,
  citizenKey: row.citizenKey,
  correlationId: row.correlationId,
  data: joinData(row.data, row.document),
});

export interface EventStatements {
  readonly streamVersion: Statement<[string], number>;
  readonly insertEvent: Statement<EventInsert>;
  readonly insertOutbox: Statement<[number]>;
  readonly readStream: Statement<[string], EventRow>;
  readonly readAll: Statement<[number, number], EventRow>;
  readonly headPosition: Statement<[], number>;
  readonly outboxPending: Statement<[number], EventRow>;
  readonly outboxMarkPublished: Statement<[string]>;
  readonly outboxDepth: Statement<[], number>;
  readonly outboxEmpty: Statement<[], number>;
  readonly outboxClear: Statement<[]>;
  readonly checkpoint: Statement<[string], number>;
  readonly saveCheckpoint: Statement<[string, number, string]>;
  readonly insertDeadLetter: Statement<[string, number, string, string]>;
  readonly deadLetters: Statement<[string], DeadLetterRow>;
  readonly deadLetterCount: Statement<[string], number>;
  readonly resolveDeadLetter: Statement<[string, number]>;
}

export const prepareStatements = (db: SqliteDatabase): EventStatements => ({
  streamVersion: db
    .prepare<[string], number>('SELECT COALESCE(MAX(version), 0) FROM events WHERE stream = ?')
    .pluck(),
  insertEvent: db.prepare<EventInsert>(
    `INSERT INTO events (id, stream, version, type, schema_version, occurred_at, recorded_at, sender,
       citizen_key, correlation_id, data, document)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ),
  insertOutbox: db.prepare<[number]>('INSERT INTO outbox (position) VALUES (?)'),
  readStream: db.prepare<[string], EventRow>(READ_STREAM_SQL),
  readAll: db.prepare<[number, number], EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM events e WHERE e.position > ? ORDER BY e.position LIMIT ?`,
  ),
  headPosition: db.prepare<[], number>('SELECT COALESCE(MAX(position), 0) FROM events').pluck(),
  outboxPending: db.prepare<[number], EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM outbox o JOIN events e ON e.position = o.position
     ORDER BY o.position LIMIT ?`,
  ),
  outboxMarkPublished: db.prepare<[string]>(
    'DELETE FROM outbox WHERE position = (SELECT position FROM events WHERE id = ?)',
  ),
  outboxDepth: db.prepare<[], number>('SELECT COUNT(*) FROM outbox').pluck(),
  outboxEmpty: db.prepare<[], number>('SELECT NOT EXISTS (SELECT 1 FROM outbox)').pluck(),
  outboxClear: db.prepare<[]>('DELETE FROM outbox'),
  checkpoint: db
    .prepare<[string], number>('SELECT position FROM consumer_checkpoints WHERE consumer_group = ?')
    .pluck(),
  saveCheckpoint: db.prepare<[string, number, string]>(
    `INSERT INTO consumer_checkpoints (consumer_group, position, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (consumer_group) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at`,
  ),
  insertDeadLetter: db.prepare<[string, number, string, string]>(
    `INSERT OR IGNORE INTO dead_letters (consumer_group, position, reason, failed_at) VALUES (?, ?, ?, ?)`,
  ),
  deadLetters: db.prepare<[string], DeadLetterRow>(
    `SELECT ${EVENT_COLUMNS}, d.consumer_group AS deadLetterGroup, d.reason, d.failed_at AS failedAt
     FROM dead_letters d JOIN events e ON e.position = d.position
     WHERE d.consumer_group = ? ORDER BY d.position`,
  ),
  // The primary key (consumer_group, position) answers it from the index alone.
  deadLetterCount: db
    .prepare<[string], number>('SELECT COUNT(*) FROM dead_letters WHERE consumer_group = ?')
    .pluck(),
  resolveDeadLetter: db.prepare<[string, number]>(
    'DELETE FROM dead_letters WHERE consumer_group = ? AND position = ?',
  ),
});
