/** Every SQL statement of the read-model store, prepared once when the file is opened. */
import type Database from 'better-sqlite3';
import type { SqliteDatabase } from './database.ts';
import type { SortKey } from '../index-keys.ts';

type Statement<Params extends unknown[], Result = unknown> = Database.Statement<Params, Result>;

export interface DocumentRow {
  readonly collection: string;
  readonly id: string;
  readonly revision: number;
  readonly body: string;
}

export interface IndexedDocumentRow extends DocumentRow {
  readonly sortKey: SortKey;
}

export interface IndexDeclarationRow {
  readonly collection: string;
  readonly field: string;
  readonly sortBy: string;
}

type IndexScope = [collection: string, field: string, value: string];

export interface ReadStatements {
  readonly get: Statement<[string, string], DocumentRow>;
  readonly getMany: Statement<[string, string], DocumentRow>;
  readonly revision: Statement<[string, string], number>;
  readonly upsert: Statement<[string, string, number, string]>;
  readonly remove: Statement<[string, string]>;
  readonly unindexDocument: Statement<[string, string]>;
  readonly unindexField: Statement<[string, string]>;
  readonly indexEntry: Statement<[string, string, string, SortKey, string]>;
  readonly collectionPage: Statement<[string, string, number], DocumentRow>;
  readonly declarations: Statement<[], IndexDeclarationRow>;
  readonly declare: Statement<[string, string, string]>;
  readonly findFirst: Statement<[...IndexScope, number], IndexedDocumentRow>;
  readonly findAfter: Statement<[...IndexScope, SortKey, string, number], IndexedDocumentRow>;
  readonly findUnsorted: Statement<[...IndexScope, number], IndexedDocumentRow>;
  readonly findUnsortedAfter: Statement<[...IndexScope, string, number], IndexedDocumentRow>;
  readonly checkpoint: Statement<[string], string>;
  readonly saveCheckpoint: Statement<[string, string]>;
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
    revision: prepare<[string, string], number>(
      'SELECT revision FROM documents WHERE collection = ? AND id = ?',
    ).pluck(),
    upsert: prepare(
      `INSERT INTO documents (collection, id, revision, body) VALUES (?, ?, ?, ?)
     ON CONFLICT (collection, id) DO UPDATE SET revision = excluded.revision, body = excluded.body`,
    ),
    remove: prepare('DELETE FROM documents WHERE collection = ? AND id = ?'),
    unindexDocument: prepare('DELETE FROM document_index WHERE collection = ? AND id = ?'),
    unindexField: prepare('DELETE FROM document_index WHERE collection = ? AND field = ?'),
    indexEntry: prepare(
      'INSERT INTO document_index (collection, field, value, sort_key, id) VALUES (?, ?, ?, ?, ?)',
    ),
    collectionPage: prepare(
      'SELECT collection, id, revision, body FROM documents WHERE collection = ? AND id > ? ORDER BY id LIMIT ?',
    ),
    declarations: prepare('SELECT collection, field, sort_by AS sortBy FROM collection_indexes'),
    declare: prepare(
      `INSERT INTO collection_indexes (collection, field, sort_by) VALUES (?, ?, ?)
     ON CONFLICT (collection, field) DO UPDATE SET sort_by = excluded.sort_by`,
    ),
    findFirst: prepare(`${FOUND} AND i.sort_key IS NOT NULL ORDER BY i.sort_key DESC, i.id DESC LIMIT ?`),
    findAfter: prepare(
      `${FOUND} AND i.sort_key IS NOT NULL AND (i.sort_key, i.id) < (?, ?)
     ORDER BY i.sort_key DESC, i.id DESC LIMIT ?`,
    ),
    findUnsorted: prepare(`${FOUND} AND i.sort_key IS NULL ORDER BY i.id DESC LIMIT ?`),
    findUnsortedAfter: prepare(`${FOUND} AND i.sort_key IS NULL AND i.id < ? ORDER BY i.id DESC LIMIT ?`),
    checkpoint: prepare<[string], string>('SELECT position FROM checkpoints WHERE consumer = ?').pluck(),
    saveCheckpoint: prepare(
      `INSERT INTO checkpoints (consumer, position) VALUES (?, ?)
     ON CONFLICT (consumer) DO UPDATE SET position = excluded.position`,
    ),
  };
};
