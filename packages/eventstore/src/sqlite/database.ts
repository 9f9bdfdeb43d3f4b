/**
 * Opens the embedded event log file and creates its tables. WAL lets readers (the bus, a second
 * process) run beside the single writer; `synchronous=FULL` makes a commit survive power loss,
 * because a 201 promises the events are durable; `busy_timeout` lets two processes share the file.
 * Checkpoints run on a thread of their own (checkpointer.ts); a connection checkpoints by itself
 * only when the WAL outgrew `WAL_AUTOCHECKPOINT_PAGES`, which happens only if that thread is not
 * running. Reads go through a memory map (`MEMORY_MAP_PRAGMA`, which says why).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { MEMORY_MAP_PRAGMA } from '@nexo/sqlite-readers';

export type SqliteDatabase = Database.Database;

export const BUSY_TIMEOUT_MS = 5_000;
/** 64 MiB of WAL, a backstop: reached only if the checkpointer thread (every 200 ms) is not running. */
const WAL_AUTOCHECKPOINT_PAGES = 16_384;
/** What a read-only connection to the log needs of the settings below (the reader threads'). */
export const READER_PRAGMAS = [`busy_timeout = ${BUSY_TIMEOUT_MS}`, MEMORY_MAP_PRAGMA] as const;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position       INTEGER PRIMARY KEY AUTOINCREMENT,
  id             TEXT    NOT NULL UNIQUE,
  stream         TEXT    NOT NULL,
  version        INTEGER NOT NULL,
  type           TEXT    NOT NULL,
  schema_version INTEGER NOT NULL,
  occurred_at    TEXT    NOT NULL,
  recorded_at    TEXT    NOT NULL,
  sender         TEXT    NOT NULL,
  citizen_key    TEXT    NOT NULL,
  correlation_id TEXT    NOT NULL,
  data           TEXT    NOT NULL,
  document       TEXT,
  UNIQUE (stream, version)
);

-- Events not yet acknowledged by the relay; a row leaves when it is marked published.
CREATE TABLE IF NOT EXISTS outbox (
  position INTEGER PRIMARY KEY
);

CREATE TABLE IF NOT EXISTS consumer_checkpoints (
  consumer_group TEXT    PRIMARY KEY,
  position       INTEGER NOT NULL,
  updated_at     TEXT    NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS dead_letters (
  consumer_group TEXT    NOT NULL,
  position       INTEGER NOT NULL,
  reason         TEXT    NOT NULL,
  failed_at      TEXT    NOT NULL,
  PRIMARY KEY (consumer_group, position)
) WITHOUT ROWID;
`;

export const openEventDatabase = (file: string): SqliteDatabase => {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
  db.pragma(MEMORY_MAP_PRAGMA);
  db.exec(SCHEMA);
  addDocumentColumn(db);
  return db;
};

/**
 * Logs created before `data.document` had a column of its own (detached-document.ts) get it: an
 * O(1) schema change; their rows keep the document inside `data`. Checked and made in one write
 * transaction, since the hub's threads and the CLI may open the file at the same time.
 */
const addDocumentColumn = (db: SqliteDatabase): void => {
  const hasColumn = (): boolean =>
    (db.pragma('table_info(events)') as Array<{ name: string }>).some((column) => column.name === 'document');
  if (hasColumn()) return;
  db.transaction(() => {
    if (!hasColumn()) db.exec('ALTER TABLE events ADD COLUMN document TEXT');
  }).immediate();
};
