/** A source of uniformly distributed numbers in [0, 1), like `Math.random`. */
export type RandomSource = () => number;

/**
 * A small deterministic PRNG (mulberry32) so that tests and synthetic data can be reproduced from a
 * seed. Not for anything secret.
 */
export const seededRandom = (seed: number): RandomSource => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

/** One decimal digit drawn from `random`. */
export const randomDigit = (random: RandomSource): number => Math.min(9, Math.floor(random() * 10));

/** `count` decimal digits drawn from `random`, as a string. */
export const randomDigits = (count: number, random: RandomSource): string => {
  let digits = '';
  for (let i = 0; i < count; i += 1) digits += String(randomDigit(random));
  return digits;
};

/** One item of a non-empty list, drawn from `random`. */
export const pick = <T>(items: readonly [T, ...T[]], random: RandomSource): T =>
  items[Math.min(items.length - 1, Math.floor(random() * items.length))] ?? items[0];
