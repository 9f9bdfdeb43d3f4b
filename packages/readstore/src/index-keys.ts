/**
 * What a document contributes to a declared index (index-values.mjs, shared with the writer thread),
 * and the opaque cursor of a find page.
 */
import { InvalidCursorError } from './port.ts';

/** Position of a document inside an index: sort key (NULL when absent) then id, both descending. */
export type SortKey = string | number | null;

export interface CursorPosition {
  readonly sortKey: SortKey;
  readonly id: string;
}

export { indexValues, sortKeyOf } from './index-values.mjs';

export const encodeCursor = (position: CursorPosition): string =>
  Buffer.from(JSON.stringify([position.sortKey, position.id]), 'utf8').toString('base64url');

export const decodeCursor = (cursor: string): CursorPosition => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (Array.isArray(parsed) && parsed.length === 2) {
    const [sortKey, id]: unknown[] = parsed;
    const validSortKey = sortKey === null || typeof sortKey === 'string' || typeof sortKey === 'number';
    if (validSortKey && typeof id === 'string') return { sortKey, id };
  }
  throw new InvalidCursorError();
};
