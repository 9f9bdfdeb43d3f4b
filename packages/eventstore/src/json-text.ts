/**
 * The JSON text a value was parsed from, kept beside it. A posted Bundle is parsed once at the
 * edge, and the log stores it as JSON again: serialising it anew cost the request thread about
 * three quarters of what parsing it did (a 2.7 KB RIA document: 60 µs against 75 µs on the bench
 * VM). The edge keeps the text it parsed; the embedded log stores that text instead.
 *
 * The text stands for the value only while the value is unchanged: a value is kept once parsed and
 * never written to afterwards (nothing on the ingest path writes to a posted body; the ingest tests
 * read each stored document back and compare it with the one posted).
 */

const texts = new WeakMap<object, string>();

/**
 * Keeps `text` as the JSON of `value`, which was parsed from it. Only a text on one line is kept:
 * a pretty-printed body is stored compact, as `JSON.stringify` writes it, since its white space
 * would take room in the log for as long as the log lasts.
 */
export const keepJsonText = (value: unknown, text: string): void => {
  if (typeof value === 'object' && value !== null && !text.includes('\n')) texts.set(value, text);
};

/** `value` as JSON: the text it was parsed from when one was kept, else `JSON.stringify(value)`. */
export const jsonTextOf = (value: unknown): string | undefined => {
  const kept = typeof value === 'object' && value !== null ? texts.get(value) : undefined;
  return kept ?? (JSON.stringify(value) as string | undefined);
};
