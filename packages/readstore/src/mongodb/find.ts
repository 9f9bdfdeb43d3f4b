/**
 * Keyset pagination over `document_index`, with the embedded store's order: documents with a sort
 * value first (sort value, then id, both descending; strings above numbers, as SQLite orders
 * them), then documents without one (id descending). MongoDB's `$lt` compares within one type
 * only, so "below a string" is spelled out as "a smaller string, or any number" (`$gte: -Infinity`
 * matches every number, and only numbers).
 */
import type { Filter } from 'mongodb';
import type { FindPage, FindQuery } from '../port.ts';
import type { CursorPosition } from '../index-keys.ts';
import { decodeCursor, encodeCursor } from '../index-keys.ts';
import type { ReadCollections } from './commit.ts';
import type { IndexEntry } from './documents.ts';
import { documentKey, toDocument } from './documents.ts';

const SORTED = { s: -1, i: -1 } as const;
const UNSORTED = { i: -1 } as const;

const below = (cursor: CursorPosition & { sortKey: string | number }): Filter<IndexEntry>[] => {
  const smaller: Filter<IndexEntry>[] =
    typeof cursor.sortKey === 'string'
      ? [{ s: { $lt: cursor.sortKey } }, { s: { $gte: Number.NEGATIVE_INFINITY } }]
      : [{ s: { $lt: cursor.sortKey } }];
  return [...smaller, { s: cursor.sortKey, i: { $lt: cursor.id } }];
};

const entriesAfter = async (
  collections: ReadCollections,
  query: FindQuery,
  fetch: number,
): Promise<IndexEntry[]> => {
  const scope = { c: query.collection, f: query.field, v: query.value };
  const unsorted = (limit: number, beforeId?: string) =>
    collections.index
      .find({ ...scope, s: null, ...(beforeId === undefined ? {} : { i: { $lt: beforeId } }) })
      .sort(UNSORTED)
      .limit(limit)
      .toArray();
  const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  if (cursor !== undefined && cursor.sortKey === null) return unsorted(fetch, cursor.id);
  const sortedFilter: Filter<IndexEntry> =
    cursor === undefined
      ? { ...scope, s: { $ne: null } }
      : { ...scope, $or: below({ sortKey: cursor.sortKey as string | number, id: cursor.id }) };
  const sorted = await collections.index.find(sortedFilter).sort(SORTED).limit(fetch).toArray();
  if (sorted.length >= fetch) return sorted;
  return [...sorted, ...(await unsorted(fetch - sorted.length))];
};

export const findDocuments = async <T>(
  collections: ReadCollections,
  query: FindQuery,
): Promise<FindPage<T>> => {
  const rows = await entriesAfter(collections, query, query.limit + 1);
  const page = rows.slice(0, query.limit);
  const keys = page.map((row) => documentKey(row.c, row.i));
  const records = keys.length === 0 ? [] : await collections.documents.find({ _id: { $in: keys } }).toArray();
  const byKey = new Map(records.map((record) => [record._id, record]));
  const documents = keys.flatMap((key) => {
    const record = byKey.get(key);
    return record === undefined ? [] : [toDocument<T>(record)];
  });
  const last = page.at(-1);
  if (rows.length <= query.limit || last === undefined) return { documents };
  return { documents, next: encodeCursor({ sortKey: last.s, id: last.i }) };
};
