/**
 * Event data stored in two columns. A `RecordSubmitted` carries the Bundle as posted
 * (`data.document`): about 70% of its bytes, and the part the projector and a rebuild of the read
 * models never read. Stored inside `data`, every read parsed it. The log therefore keeps a top-level
 * `document` in a column of its own, and a read parses it only when something reads
 * `data.document`: `GET Bundle/{id}`, the relay's encoding, a test.
 *
 * Rows written before the column existed keep the document inside `data` and read as before.
 *
 * A document parsed from a text kept with `keepJsonText` (a posted body on one line) is stored as
 * that text, not serialised again (json-text.ts).
 */
import { jsonTextOf } from '../json-text.ts';

export interface SplitData {
  /** The data without `document`, as JSON. */
  readonly data: string;
  /** `data.document` as JSON, or null when the data has none. */
  readonly document: string | null;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Serialises event data for the two columns; undefined when it is not JSON-serialisable. */
export const splitData = (data: unknown): SplitData | undefined => {
  if (isPlainObject(data) && data.document !== undefined) {
    const { document, ...rest } = data;
    const documentText = jsonTextOf(document);
    const dataText: unknown = JSON.stringify(rest);
    return typeof documentText === 'string' && typeof dataText === 'string'
      ? { data: dataText, document: documentText }
      : undefined;
  }
  const text: unknown = JSON.stringify(data);
  return typeof text === 'string' ? { data: text, document: null } : undefined;
};

/** Replaces the lazy `document` with a plain property holding `value`, and returns it. */
const keep = (data: Record<string, unknown>, value: unknown): unknown => {
  Object.defineProperty(data, 'document', { value, enumerable: true, configurable: true, writable: true });
  return value;
};

/**
 * The event data of a row: `data` parsed, and `document`, when the row has one, as an enumerable
 * property parsed on first read and then kept. Spreading, `JSON.stringify` and deep equality see
 * it as an ordinary property.
 */
export const joinData = (data: string, document: string | null): unknown => {
  const parsed: unknown = JSON.parse(data);
  if (document === null || !isPlainObject(parsed)) return parsed;
  Object.defineProperty(parsed, 'document', {
    enumerable: true,
    configurable: true,
    get(this: Record<string, unknown>) {
      return keep(this, JSON.parse(document));
    },
    set(this: Record<string, unknown>, value: unknown) {
      keep(this, value);
    },
  });
  return parsed;
};
