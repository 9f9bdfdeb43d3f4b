/**
 * Opens the embedded event log file and creates its tables. WAL lets readers (the bus, a second
 * process) run beside the single writer; `synchronous=FULL` makes a commit survive power loss,
 * because a 201 promises the events are durable; `busy_timeout` lets two processes share the file.
 * Checkpoints run on a thread of their own (checkpointer.ts); a connection checkpoints by itself
 * only when the WAL outgrew `WAL_AUTOCHECKPOINT_PAGES`, which happens only if that thread is not
 * running. Reads go through a memory map: every commit by another connection (the projector's
 * checkpoint, the writer thread) empties a connection's page cache, the OS page cache stays.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { EVENTS_SCHEMA, upgradeEventsTable } from './log-layout.ts';

export type SqliteDatabase = Database.Database;

export const BUSY_TIMEOUT_MS = 5_000;
/** 64 MiB of WAL, a backstop: reached only if the checkpointer thread (every 200 ms) is not running. */
const WAL_AUTOCHECKPOINT_PAGES = 16_384;
/**
 * Address space only: the OS keeps in memory what the log's reads touch. better-sqlite3's SQLite is
 * built with SQLITE_MAX_MMAP_SIZE=0x7fff0000, so this is also the most it maps: the first 2 GiB.
 */
const MMAP_BYTES = 0x7fff0000;

/** What a read-only connection to the log needs of the settings above (the reader threads'). */
export const READER_PRAGMAS = [`busy_timeout = ${BUSY_TIMEOUT_MS}`, `mmap_size = ${MMAP_BYTES}`] as const;

const SCHEMA = `
${EVENTS_SCHEMA}

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
  db.pragma(`mmap_size = ${MMAP_BYTES}`);
  // Before the schema: its index names a column an earlier layout lacks.
  upgradeEventsTable(db, (message) => process.stderr.write(`${message}\n`));
  db.exec(SCHEMA);
  return db;
};
