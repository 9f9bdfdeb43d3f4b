import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cnsCategory,
  generateCnes,
  generateCns,
  generateCpf,
  isValidCnes,
  isValidCns,
  isValidCpf,
  seededRandom,
} from '@nexo/identifiers';

const seed = fc.integer({ min: 0, max: 0xffffffff });
const position = (length: number) => fc.integer({ min: 0, max: length - 1 });
const offset = fc.integer({ min: 1, max: 9 });

/** The number with the digit at `index` replaced by (digit + offset) mod 10, which always differs. */
const flip = (value: string, index: number, by: number): string =>
  value.slice(0, index) + String((Number(value[index]) + by) % 10) + value.slice(index + 1);

describe('generators', () => {
  it('seededRandom is deterministic and stays in [0, 1)', () => {
    fc.assert(
      fc.property(seed, (s) => {
        const a = seededRandom(s);
        const b = seededRandom(s);
        for (let i = 0; i < 20; i += 1) {
          const x = a();
          expect(x).toBe(b());
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThan(1);
        }
      }),
    );
  });

  it.each(['definitive', 'provisional'] as const)(
    'generateCns(%s) is always valid and of that category',
    (kind) => {
      fc.assert(
        fc.property(seed, (s) => {
          const cns = generateCns(kind, seededRandom(s));
          expect(cnsCategory(cns)).toBe(kind);
          expect('12789').toContain(cns[0]);
        }),
      );
    },
  );

  it('generateCns(provisional) uses every provisional first digit (7, 8 and 9)', () => {
    const random = seededRandom(7);
    const firsts = new Set(Array.from({ length: 200 }, () => generateCns('provisional', random)[0]));
    expect([...firsts].sort()).toEqual(['7', '8', '9']);
  });

  it('generateCpf and generateCnes are always valid', () => {
    fc.assert(
      fc.property(seed, (s) => {
        const random = seededRandom(s);
        expect(isValidCpf(generateCpf(random))).toBe(true);
        expect(isValidCnes(generateCnes(random))).toBe(true);
      }),
    );
  });
});

describe('a changed digit is detected', () => {
  // Index 4 has weight 15 − 4 = 11 ≡ 0 (mod 11): no mod-11 sum can see a change there, so the CNS
  // rule (and the e-SUS routine, which uses the same weights) is blind at that one position.
  const cnsPosition = position(15).filter((i) => i !== 4);

  it.each(['definitive', 'provisional'] as const)('CNS %s: any single digit except index 4', (kind) => {
    fc.assert(
      fc.property(seed, cnsPosition, offset, (s, i, by) => {
        expect(isValidCns(flip(generateCns(kind, seededRandom(s)), i, by))).toBe(false);
      }),
    );
  });

  it('CPF: any change to a check digit', () => {
    fc.assert(
      fc.property(seed, fc.constantFrom(9, 10), offset, (s, i, by) => {
        expect(isValidCpf(flip(generateCpf(seededRandom(s)), i, by))).toBe(false);
      }),
    );
  });

  // When the first check digit is 0 because the remainder was 10, a ±1 change to the first digit (or
  // a +2 change at index 5 when both check digits collapse) keeps both check digits: the "10 becomes 0"
  // step loses that information. Every other single change is caught.
  it('CPF: any single digit when the first check digit is not 0', () => {
    const cpf = seed.map((s) => generateCpf(seededRandom(s))).filter((c) => c[9] !== '0');
    fc.assert(
      fc.property(cpf, position(11), offset, (c, i, by) => {
        expect(isValidCpf(flip(c, i, by))).toBe(false);
      }),
    );
  });
});
