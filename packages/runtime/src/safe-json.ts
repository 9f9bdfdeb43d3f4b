import { NexoError } from '@nexo/fhir';

export const NOT_JSON =
  'the body is not valid JSON (a FHIR resource, or the JSON object the route documents).';

/** FHIR documents nest about 12 levels; anything past this is an attack on the parser's callers. */
export const MAX_JSON_DEPTH = 64;

const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Whether the nesting of objects and arrays in JSON text passes `limit`; stops as soon as it does. */
export const jsonDepthExceeds = (text: string, limit: number): boolean => {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // Most of a FHIR document is string content: jump to the closing quote (a native search)
      // instead of stepping through it; a quote after an odd run of backslashes is escaped.
      for (;;) {
        const close = text.indexOf('"', i + 1);
        if (close === -1) return false; // unterminated: JSON.parse refuses it
        let backslashes = 0;
        while (text.charCodeAt(close - 1 - backslashes) === BACKSLASH) backslashes++;
        i = close;
        if (backslashes % 2 === 0) break;
      }
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (++depth > limit) return true;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) depth--;
  }
  return false;
};

// The keys JavaScript gives meaning to, also written with \u escapes (what secure-json-parse checks).
const PROTO_KEY =
  /"(?:_|\\u005[Ff])(?:_|\\u005[Ff])(?:p|\\u0070)(?:r|\\u0072)(?:o|\\u006[Ff])(?:t|\\u0074)(?:o|\\u006[Ff])(?:_|\\u005[Ff])(?:_|\\u005[Ff])"\s*:/;
const CONSTRUCTOR_KEY =
  /"(?:c|\\u0063)(?:o|\\u006[Ff])(?:n|\\u006[Ee])(?:s|\\u0073)(?:t|\\u0074)(?:r|\\u0072)(?:u|\\u0075)(?:c|\\u0063)(?:t|\\u0074)(?:o|\\u006[Ff])(?:r|\\u0072)"\s*:/;

/** The path of the first `__proto__` key or `constructor.prototype` pair, if any. */
const unsafeKeyPath = (root: unknown): string | undefined => {
  const stack: Array<{ value: unknown; path: string }> = [{ value: root, path: '' }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    for (const key of Object.keys(value)) {
      const child = (value as Record<string, unknown>)[key];
      const childPath = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      if (key === '__proto__') return childPath;
      if (
        key === 'constructor' &&
        typeof child === 'object' &&
        child !== null &&
        Object.hasOwn(child, 'prototype')
      )
        return `${childPath}.prototype`;
      stack.push({ value: child, path: childPath });
    }
  }
  return undefined;
};

/**
 * Parses a request body: refuses nesting deeper than MAX_JSON_DEPTH before parsing (400
 * `NEXO_ERR_TOO_DEEP`) and the prototype-pollution keys `__proto__` and
 * `constructor.prototype` after (400 `NEXO_ERR_UNSAFE_KEY`). Other keys — `$where`, `$gt` —
 * stay plain data: nothing downstream interprets a key, and validation refuses unknown ones.
 */
export const parseJsonBody = (text: string): unknown => {
  if (jsonDepthExceeds(text, MAX_JSON_DEPTH))
    throw new NexoError(
      'NEXO_ERR_TOO_DEEP',
      `the body nests objects and arrays deeper than ${MAX_JSON_DEPTH} levels; FHIR documents never need that.`,
    );
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    throw new NexoError('NEXO_ERR_UNPARSABLE', NOT_JSON);
  }
  if (PROTO_KEY.test(text) || CONSTRUCTOR_KEY.test(text)) {
    const path = unsafeKeyPath(value);
    if (path !== undefined)
      throw new NexoError('NEXO_ERR_UNSAFE_KEY', [
        {
          code: 'NEXO_ERR_UNSAFE_KEY',
          expression: path.slice(0, 256),
          message: 'property names __proto__ and constructor.prototype are not accepted.',
        },
      ]);
  }
  return value;
};
