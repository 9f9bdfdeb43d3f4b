/** Narrowing helpers for parsed JSON (`unknown` in, typed values out; never throws). */
export type JsonObject = Readonly<Record<string, unknown>>;

export const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const objectAt = (value: unknown, key: string): JsonObject | undefined => {
  const child = isObject(value) ? value[key] : undefined;
  return isObject(child) ? child : undefined;
};

export const arrayAt = (value: unknown, key: string): readonly unknown[] | undefined => {
  const child = isObject(value) ? value[key] : undefined;
  return Array.isArray(child) ? child : undefined;
};

export const stringAt = (value: unknown, key: string): string | undefined => {
  const child = isObject(value) ? value[key] : undefined;
  return typeof child === 'string' ? child : undefined;
};

export const numberAt = (value: unknown, key: string): number | undefined => {
  const child = isObject(value) ? value[key] : undefined;
  return typeof child === 'number' && Number.isFinite(child) ? child : undefined;
};

/** The object at `list[index]`, when there is one. */
export const objectIn = (list: readonly unknown[] | undefined, index: number): JsonObject | undefined => {
  const item = list?.[index];
  return isObject(item) ? item : undefined;
};

/** `value.coding[0]` of a CodeableConcept. */
export const firstCoding = (concept: unknown): JsonObject | undefined =>
  objectIn(arrayAt(concept, 'coding'), 0);
