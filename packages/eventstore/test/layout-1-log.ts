/** Writes an event log as layout 1 stored it (streams indexed by name), for the upgrade tests. */
import Database from 'better-sqlite3';
import type { NewEvent } from '../src/index.ts';

export interface Layout1Row {
  readonly stream: string;
  readonly version: number;
  readonly event: NewEvent;
}

export const writeLayout1Log = (
  file: string,
  rows: readonly Layout1Row[],
  options: { readonly documentColumn?: boolean; readonly outbox?: readonly number[] } = {},
): void => {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec(`CREATE TABLE events (
    position INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, stream TEXT NOT NULL,
    version INTEGER NOT NULL, type TEXT NOT NULL, schema_version INTEGER NOT NULL,
    occurred_at TEXT NOT NULL, recorded_at TEXT NOT NULL, sender TEXT NOT NULL,
    citizen_key TEXT NOT NULL, correlation_id TEXT NOT NULL, data TEXT NOT NULL,
    ${options.documentColumn ? 'document TEXT,' : ''}
    UNIQUE (stream, version));
    CREATE TABLE outbox (position INTEGER PRIMARY KEY);
    CREATE TABLE consumer_checkpoints (consumer_group TEXT PRIMARY KEY, position INTEGER NOT NULL,
      updated_at TEXT NOT NULL) WITHOUT ROWID;`);
  const insert = db.prepare(
    `INSERT INTO events (id, stream, version, type, schema_version, occurred_at, recorded_at, sender,
       citizen_key, correlation_id, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const { stream, version, event } of rows)
    insert.run(
      event.id,
      stream,
      version,
      event.type,
      event.schemaVersion,
      event.occurredAt,
      event.occurredAt,
      event.sender,
      event.citizenKey,
      event.correlationId,
      JSON.stringify(event.data),
    );
  for (const position of options.outbox ?? []) db.prepare('INSERT INTO outbox VALUES (?)').run(position);
  db.close();
};
