import { digitAt, isDigits } from './digits.ts';
import { pick, randomDigits, type RandomSource } from './random.ts';

/** Definitive numbers start with 1 or 2; provisional ones with 7, 8 or 9. */
export type CnsCategory = 'definitive' | 'provisional';

const CNS_LENGTH = 15;
const BASE_LENGTH = 11;

/** Σ d[i]·(15 − i) over the first `count` digits of `value`. */
const weightedSum = (value: string, count: number): number => {
  let sum = 0;
  for (let i = 0; i < count; i += 1) sum += digitAt(value, i) * (CNS_LENGTH - i);
  return sum;
};

/** 11 − (sum mod 11), where 11 becomes 0. */
const checkDigit = (sum: number): number => (11 - (sum % 11)) % 11;

/**
 * The definitive CNS the e-SUS routine builds from an 11-digit base: base + "000" + dv, or, when the
 * first dv comes out as 10, base + "001" + dv computed over the sum plus 2 (the weight of that 1).
 */
const definitiveFromBase = (base: string): string => {
  const sum = weightedSum(base, BASE_LENGTH);
  const dv = checkDigit(sum);
  return dv === 10 ? `${base}001${checkDigit(sum + 2)}` : `${base}000${dv}`;
};

/**
 * The category of a CNS, or undefined when it is not a valid CNS. Definitive numbers must be exactly
 * what the e-SUS routine builds from their first 11 digits (digits 12–14 `000` or `001`, then the
 * check digit); provisional numbers need Σ d[i]·(15 − i) ≡ 0 (mod 11).
 */
export const cnsCategory = (value: string): CnsCategory | undefined => {
  if (!isDigits(value, CNS_LENGTH)) return undefined;
  const first = digitAt(value, 0);
  if (first === 1 || first === 2) {
    return definitiveFromBase(value.slice(0, BASE_LENGTH)) === value ? 'definitive' : undefined;
  }
  if (first >= 7) return weightedSum(value, CNS_LENGTH) % 11 === 0 ? 'provisional' : undefined;
  return undefined;
};

/** True for a 15-digit CNS that passes the rule of its category. */
export const isValidCns = (value: string): boolean => cnsCategory(value) !== undefined;

/** A valid CNS of the given category; provisional numbers start with 7, 8 or 9. */
export const generateCns = (kind: CnsCategory, random: RandomSource = Math.random): string => {
  if (kind === 'definitive') return definitiveFromBase(pick(['1', '2'], random) + randomDigits(10, random));
  for (;;) {
    const body = pick(['7', '8', '9'], random) + randomDigits(13, random);
    const last = checkDigit(weightedSum(body, CNS_LENGTH - 1));
    // The last digit has weight 1, so it must equal the remainder still missing; 10 cannot be written.
    if (last !== 10) return body + String(last);
  }
};
