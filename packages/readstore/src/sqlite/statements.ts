/**
 * The SQL statements the read store reads with, prepared once when the file is opened. Those it
 * writes with are in write-statements.mjs, shared with the writer thread.
 */
import type Database from 'better-sqlite3';
import type { SqliteDatabase } from './database.ts';
import type { SortKey } from '../index-keys.ts';
import type { DocumentRow } from './write-statements.mjs';

export type { DocumentRow } from './write-statements.mjs';

type Statement<Params extends unknown[], Result = unknown> = Database.Statement<Params, Result>;

export interface IndexedDocumentRow extends DocumentRow {
  readonly sortKey: SortKey;
}

type IndexScope = [collection: string, field: string, value: string];

export interface ReadStatements {
  readonly get: Statement<[string, string], DocumentRow>;
  readonly getMany: Statement<[string, string], DocumentRow>;
  readonly findFirst: Statement<[...IndexScope, number], IndexedDocumentRow>;
  readonly findAfter: Statement<[...IndexScope, SortKey, string, number], IndexedDocumentRow>;
  readonly findUnsorted: Statement<[...IndexScope, number], IndexedDocumentRow>;
  readonly findUnsortedAfter: Statement<[...IndexScope, string, number], IndexedDocumentRow>;
  readonly checkpoint: Statement<[string], string>;
}

const FOUND = `SELECT d.collection, d.id, d.revision, d.body, i.sort_key AS sortKey
  FROM document_index i JOIN documents d ON d.collection = i.collection AND d.id = i.id
  WHERE i.collection = ? AND i.field = ? AND i.value = ?`;

/** Point reads, on the store's connection and on reader threads (sqlite-readers). */
export const POINT_READS = {
  get: 'SELECT collection, id, revision, body FROM documents WHERE collection = ? AND id = ?',
  getMany: `SELECT collection, id, revision, body FROM documents
     WHERE collection = ? AND id IN (SELECT value FROM json_each(?))`,
} as const;

export const prepareStatements = (db: SqliteDatabase): ReadStatements => {
  // The statement's parameter and row types are inferred from ReadStatements.
  const prepare = <Params extends unknown[], Result>(source: string): Statement<Params, Result> =>
    db.prepare<Params, Result>(source);
  return {
    get: prepare(POINT_READS.get),
    getMany: prepare(POINT_READS.getMany),
    findFirst: prepare(`${FOUND} AND i.sort_key IS NOT NULL ORDER BY i.sort_key DESC, i.id DESC LIMIT ?`),
    findAfter: prepare(
      `${FOUND} AND i.sort_key IS NOT NULL AND (i.sort_key, i.id) < (?, ?)
     ORDER BY i.sort_key DESC, i.id DESC LIMIT ?`,
    ),
    findUnsorted: prepare(`${FOUND} AND i.sort_key IS NULL ORDER BY i.id DESC LIMIT ?`),
    findUnsortedAfter: prepare(`${FOUND} AND i.sort_key IS NULL AND i.id < ? ORDER BY i.id DESC LIMIT ?`),
    checkpoint: prepare<[string], string>('SELECT position FROM checkpoints WHERE consumer = ?').pluck(),
  };
};
