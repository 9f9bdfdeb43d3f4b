import { describe, expect, it } from 'vitest';
import { isValidCpf } from '@nexo/identifiers';

describe('CPF check digits', () => {
  it.each([
    ['93273918454', 'the RDM example citizen'],
    ['52998224725', 'a commonly published valid CPF'],
    ['11144477735', 'another commonly published valid CPF'],
  ])('accepts %s (%s)', (value) => {
    expect(isValidCpf(value)).toBe(true);
  });

  it.each([
    ['11111111111', 'all digits equal (its check digits would otherwise pass)'],
    ['00000000000', 'all zeros'],
    ['111.111.111-11', 'all equal, formatted'],
    ['529.982.247-25', 'a valid CPF with punctuation (values are digits only)'],
    ['52998224724', 'wrong second check digit'],
    ['52998224715', 'wrong first check digit'],
    ['5299822472', 'ten digits'],
    ['529982247250', 'twelve digits'],
    ['5299822472a', 'a letter'],
    ['', 'empty'],
  ])('rejects %s (%s)', (value) => {
    expect(isValidCpf(value)).toBe(false);
  });
});
