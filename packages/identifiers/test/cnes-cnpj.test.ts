import { describe, expect, it } from 'vitest';
import { isValidCnes, isValidCnpj } from '@nexo/identifiers';

describe('CNES', () => {
  it.each([['9990011'], ['0000001'], ['2077485']])('accepts %s (7 digits)', (value) => {
    expect(isValidCnes(value)).toBe(true);
  });
  it.each([['999001'], ['99900111'], ['999001a'], [' 9990011'], ['']])('rejects %j', (value) => {
    expect(isValidCnes(value)).toBe(false);
  });
});

describe('CNPJ', () => {
  it.each([
    ['11222333000181', 'numeric'],
    ['12ABC34501DE35', 'alphanumeric (IN RFB 2.229/2024)'],
  ])('accepts %s (%s)', (value) => {
    expect(isValidCnpj(value)).toBe(true);
  });
  it.each([
    ['11222333000182', 'wrong check digit'],
    ['11111111111111', 'all equal'],
    ['1122233300018', 'thirteen characters'],
    ['11.222.333/0001-81', 'punctuation'],
    ['12abc34501de35', 'lower-case letters'],
  ])('rejects %s (%s)', (value) => {
    expect(isValidCnpj(value)).toBe(false);
  });
});
