import { describe, expect, it } from 'vitest';
import { cnsCategory, isValidCns, type CnsCategory } from '@nexo/identifiers';

describe('CNS check rule', () => {
  const valid: ReadonlyArray<[string, CnsCategory, string]> = [
    ['266764941990004', 'definitive', 'the RIA-R example citizen'],
    ['203212962400006', 'definitive', 'the RIA-R example professional'],
    ['146089735210007', 'definitive', 'the RDM example professional'],
    ['100000000060018', 'definitive', 'first dv came out as 10: digits 12–14 are 001'],
    ['998396937874850', 'provisional', 'the REL example citizen (starts with 9)'],
    ['898001160660001', 'provisional', 'a provisional number starting with 8'],
    ['700000000000005', 'provisional', 'a provisional number starting with 7'],
  ];
  it.each(valid)('accepts %s (%s: %s)', (value, category) => {
    expect(isValidCns(value)).toBe(true);
    expect(cnsCategory(value)).toBe(category);
  });

  it.each([
    ['898001160660000', 'provisional whose weighted sum is 483 ≡ 10 (mod 11)'],
    ['266764941990005', 'definitive with a wrong check digit'],
    ['266764941990104', 'definitive with digits 12–14 = 010'],
    ['266764941991004', 'definitive with digits 12–14 = 100'],
    ['266764941990015', 'definitive with 001 although the first dv was not 10'],
    ['100000000060000', 'definitive with 000 although the first dv was 10'],
    ['366764941990004', 'first digit 3'],
    ['066764941990004', 'first digit 0'],
    ['626764941990004', 'first digit 6'],
    ['26676494199000', 'fourteen digits'],
    ['2667649419900040', 'sixteen digits'],
    ['26676494199000a', 'a letter'],
    ['266 764941990004', 'a space'],
    ['', 'empty'],
  ])('rejects %s (%s)', (value) => {
    expect(isValidCns(value)).toBe(false);
    expect(cnsCategory(value)).toBeUndefined();
  });

  it('rejects a definitive number the weighted sum accepts but the e-SUS routine would not build', () => {
    // 266764941990004 rewritten as …020: Σ d[i]·(15−i) is still ≡ 0 (mod 11), but digits 12–14 are not 000/001.
    const weighted = (v: string) => [...v].reduce((sum, d, i) => sum + Number(d) * (15 - i), 0) % 11;
    const candidate = '266764941990020';
    expect(weighted(candidate)).toBe(0);
    expect(isValidCns(candidate)).toBe(false);
  });
});
