import { isDigits } from './digits.ts';
import { randomDigits, type RandomSource } from './random.ts';

const CNES_LENGTH = 7;

/** A CNES establishment code is exactly 7 digits; it has no check digit. */
export const isValidCnes = (value: string): boolean => isDigits(value, CNES_LENGTH);

/** A well-formed CNES (7 digits). */
export const generateCnes = (random: RandomSource = Math.random): string => randomDigits(CNES_LENGTH, random);
