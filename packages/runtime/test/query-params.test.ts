import { describe, expect, it } from 'vitest';
import { NexoError } from '@nexo/fhir';
import { parseLimitParam } from '../src/query-params.ts';

const refusal = (raw: string): unknown => {
  try {
    parseLimitParam(raw, 100);
  } catch (err) {
    return err instanceof NexoError ? err.problems.map((p) => [p.code, p.expression]) : err;
  }
  return 'accepted';
};

describe('parseLimitParam', () => {
  it('takes 20 when absent, and plain decimal integers from 1 to the maximum', () => {
    expect(parseLimitParam(undefined, 100)).toBe(20);
    expect(parseLimitParam('1', 100)).toBe(1);
    expect(parseLimitParam('100', 100)).toBe(100);
  });

  it.each(['0', '101', '-1', '', ' 5', '5 ', '0x10', '1e1', '10.0', '+5', '05', 'abc', '99999999999'])(
    'refuses %j with a 400 naming limit',
    (raw) => {
      expect(refusal(raw)).toEqual([['NEXO_ERR_UNPARSABLE', 'limit']]);
    },
  );
});
