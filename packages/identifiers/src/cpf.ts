import { digitAt, isDigits, isRepeatedCharacter } from './digits.ts';
import { randomDigits, type RandomSource } from './random.ts';

const CPF_LENGTH = 11;

/** (Σ d[i]·(n + 1 − i))·10 mod 11 over the n digits given, where 10 becomes 0. */
const checkDigit = (digits: string): number => {
  const n = digits.length;
  let sum = 0;
  for (let i = 0; i < n; i += 1) sum += digitAt(digits, i) * (n + 1 - i);
  return ((sum * 10) % 11) % 10;
};

const withCheckDigits = (base: string): string => {
  const first = base + String(checkDigit(base));
  return first + String(checkDigit(first));
};

/** True for 11 digits, not all the same, whose last two are the CPF check digits. Punctuation is not accepted. */
export const isValidCpf = (value: string): boolean =>
  isDigits(value, CPF_LENGTH) &&
  !isRepeatedCharacter(value) &&
  withCheckDigits(value.slice(0, CPF_LENGTH - 2)) === value;

/** A valid CPF (11 digits, no punctuation). */
export const generateCpf = (random: RandomSource = Math.random): string => {
  for (;;) {
    const base = randomDigits(CPF_LENGTH - 2, random);
    if (!isRepeatedCharacter(base)) return withCheckDigits(base);
  }
};
