// What a document contributes to a declared index: the values it is found by and its sort key.
// Plain JavaScript, because the read store's writer thread (sqlite/writer-thread.mjs) indexes
// documents too and a thread gets no TypeScript loader.

const at = (body, path) => {
  let value = body;
  for (const segment of path.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    value = value[segment];
  }
  return value;
};

const scalarText = (value) =>
  typeof value === 'string' ||
  typeof value === 'boolean' ||
  (typeof value === 'number' && Number.isFinite(value))
    ? String(value)
    : undefined;

export const indexValues = (body, path) => {
  const value = at(body, path);
  const candidates = Array.isArray(value) ? value : [value];
  const texts = candidates.map(scalarText).filter((text) => text !== undefined);
  return [...new Set(texts)];
};

export const sortKeyOf = (body, path) => {
  const value = at(body, path);
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  return null;
};
