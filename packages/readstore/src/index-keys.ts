/** What a document contributes to a declared index, and the opaque cursor of a find page. */
import { InvalidCursorError } from './port.ts';

/** Position of a document inside an index: sort key (NULL when absent) then id, both descending. */
export type SortKey = string | number | null;

export interface CursorPosition {
  readonly sortKey: SortKey;
  readonly id: string;
}

const at = (body: unknown, path: string): unknown => {
  let value = body;
  for (const segment of path.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
};

const scalarText = (value: unknown): string | undefined =>
  typeof value === 'string' ||
  typeof value === 'boolean' ||
  (typeof value === 'number' && Number.isFinite(value))
    ? String(value)
    : undefined;

/** The values a document is found by: the scalar at `path`, or each scalar of an array there. */
export const indexValues = (body: unknown, path: string): string[] => {
  const value = at(body, path);
  const candidates = Array.isArray(value) ? value : [value];
  const texts = candidates.map(scalarText).filter((text): text is string => text !== undefined);
  return [...new Set(texts)];
};

export const sortKeyOf = (body: unknown, path: string): SortKey => {
  const value = at(body, path);
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  return null;
};

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
