import { isDigits, isRepeatedCharacter } from './digits.ts';

const CNPJ_LENGTH = 14;
const FIRST_WEIGHTS = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2] as const;
const SECOND_WEIGHTS = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2] as const;
const ROOT = /^[0-9A-Z]{12}$/;

/** Σ value(c[i])·w[i] mod 11 → 0 when below 2, else 11 − remainder. Letters count as charCode − 48. */
const checkDigit = (chars: string, weights: readonly number[]): number => {
  let sum = 0;
  for (let i = 0; i < weights.length; i += 1) sum += (chars.charCodeAt(i) - 48) * (weights[i] ?? 0);
  const remainder = sum % 11;
  return remainder < 2 ? 0 : 11 - remainder;
};

/**
 * True for a CNPJ: 14 characters, not all the same, the last two the check digits. The first 12 may
 * be digits or capital letters (the alphanumeric CNPJ of IN RFB 2.229/2024; numeric ones are unchanged).
 */
export const isValidCnpj = (value: string): boolean => {
  if (value.length !== CNPJ_LENGTH || isRepeatedCharacter(value)) return false;
  const root = value.slice(0, 12);
  if (!ROOT.test(root) || !isDigits(value.slice(12), 2)) return false;
  const first = checkDigit(root, FIRST_WEIGHTS);
  const second = checkDigit(root + String(first), SECOND_WEIGHTS);
  return value.endsWith(`${first}${second}`);
};
