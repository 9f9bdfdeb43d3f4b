const ZERO = 48;

/** The numeric value of the decimal digit at `index` (the caller has checked the string is digits). */
export const digitAt = (value: string, index: number): number => value.charCodeAt(index) - ZERO;

/** True when `value` is exactly `length` ASCII digits. */
export const isDigits = (value: string, length: number): boolean => {
  if (value.length !== length) return false;
  for (let i = 0; i < length; i += 1) {
    const code = value.charCodeAt(i);
    if (code < ZERO || code > ZERO + 9) return false;
  }
  return true;
};

/** True when every character of `value` is the same (e.g. `11111111111`). */
export const isRepeatedCharacter = (value: string): boolean => {
  for (let i = 1; i < value.length; i += 1) if (value[i] !== value[0]) return false;
  return true;
};
