/**
 * Opens the read-model file. Read models are rebuilt from the log and their consumer checkpoint is
 * committed in the same transaction as the documents, but the projector resumes from its
 * checkpoint in the log's file, written after that commit. With `synchronous=NORMAL` a power loss
 * could roll back read-model commits whose events the log's checkpoint already counts as
 * projected, and they would be missing for good: `synchronous=FULL` makes each commit durable
 * before the log's checkpoint moves (one fsync per projected batch, on the projector's thread, or
 * on the store's writer thread when it has one). Reads go through a memory map
 * (`MEMORY_MAP_PRAGMA`, which says why): with the read models of many citizens, the pages card
 * reads touched stay in memory.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { MEMORY_MAP_PRAGMA } from '@nexo/sqlite-readers';

export type SqliteDatabase = Database.Database;

const BUSY_TIMEOUT_MS = 5_000;
const CACHE_KIB = 65_536;

/** What a read-only connection to the file needs of the settings below (the reader threads'). */
export const READER_PRAGMAS = [`busy_timeout = ${BUSY_TIMEOUT_MS}`, MEMORY_MAP_PRAGMA] as const;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS documents (
  collection TEXT    NOT NULL,
  id         TEXT    NOT NULL,
  revision   INTEGER NOT NULL,
  body       TEXT    NOT NULL,
  PRIMARY KEY (collection, id)
);

-- Declared (collection, field) queries and the field their results are sorted by.
CREATE TABLE IF NOT EXISTS collection_indexes (
  collection TEXT NOT NULL,
  field      TEXT NOT NULL,
  sort_by    TEXT NOT NULL,
  PRIMARY KEY (collection, field)
) WITHOUT ROWID;

-- One row per (document, declared field, field value); sort_key has no type so numbers stay
-- numbers, and is NULL when the document lacks the sort field (such documents come last).
CREATE TABLE IF NOT EXISTS document_index (
  collection TEXT NOT NULL,
  field      TEXT NOT NULL,
  value      TEXT NOT NULL,
  sort_key,
  id         TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS document_index_lookup ON document_index (collection, field, value, sort_key, id);
CREATE INDEX IF NOT EXISTS document_index_owner ON document_index (collection, id);

CREATE TABLE IF NOT EXISTS checkpoints (
  consumer TEXT PRIMARY KEY,
  position TEXT NOT NULL
) WITHOUT ROWID;
`;

/** What a connection that writes runs when it opens: the calling thread's, or the writer thread's. */
export const WRITER_PRAGMAS = [
  `busy_timeout = ${BUSY_TIMEOUT_MS}`,
  'journal_mode = WAL',
  'synchronous = FULL',
  `cache_size = -${CACHE_KIB}`,
  MEMORY_MAP_PRAGMA,
] as const;

export const openReadDatabase = (file: string): SqliteDatabase => {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  for (const pragma of WRITER_PRAGMAS) db.pragma(pragma);
  db.exec(SCHEMA);
  return db;
};
