/**
 * Keyset pagination over `document_index`: documents with a sort value first (sort value, then id,
 * both descending), then documents without one (id descending). Every page is an index range scan.
 */
import type { FindPage, FindQuery, StoredDocument } from '../port.ts';
import type { DocumentIndexer } from './indexer.mjs';
import { decodeCursor, encodeCursor } from '../index-keys.ts';
import type { IndexedDocumentRow, ReadStatements } from './statements.ts';

export const toDocument = <T>(row: {
  collection: string;
  id: string;
  revision: number;
  body: string;
}): StoredDocument<T> => ({
  collection: row.collection,
  id: row.id,
  revision: row.revision,
  body: JSON.parse(row.body) as T,
});

const rowsAfter = (statements: ReadStatements, query: FindQuery, fetch: number): IndexedDocumentRow[] => {
  const scope = [query.collection, query.field, query.value] as const;
  if (query.cursor === undefined) {
    const sorted = statements.findFirst.all(...scope, fetch);
    if (sorted.length >= fetch) return sorted;
    return [...sorted, ...statements.findUnsorted.all(...scope, fetch - sorted.length)];
  }
  const cursor = decodeCursor(query.cursor);
  if (cursor.sortKey === null) return statements.findUnsortedAfter.all(...scope, cursor.id, fetch);
  const sorted = statements.findAfter.all(...scope, cursor.sortKey, cursor.id, fetch);
  if (sorted.length >= fetch) return sorted;
  return [...sorted, ...statements.findUnsorted.all(...scope, fetch - sorted.length)];
};

export const findDocuments = <T>(
  statements: ReadStatements,
  indexer: DocumentIndexer,
  query: FindQuery,
): FindPage<T> => {
  if (indexer.declared(query.collection, query.field) === undefined) {
    throw new RangeError(`${query.collection}.${query.field} has no index; declare it with ensureIndexes`);
  }
  if (!Number.isSafeInteger(query.limit) || query.limit < 1) {
    throw new RangeError(`limit must be an integer ≥ 1, got ${query.limit}`);
  }
  const rows = rowsAfter(statements, query, query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const documents = page.map((row) => toDocument<T>(row));
  if (rows.length <= query.limit || last === undefined) return { documents };
  return { documents, next: encodeCursor({ sortKey: last.sortKey, id: last.id }) };
};
