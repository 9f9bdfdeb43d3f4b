/** A copy of `value` without the properties whose value is undefined (summaries carry only facts sent). */
export const defined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
