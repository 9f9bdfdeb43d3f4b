import { describe, expect, it } from 'vitest';
import { createRequestBudget } from '../src/request-budget.ts';

describe('request budget per key and window', () => {
  it('refuses the request past the budget with the seconds left in the window, and starts afresh with the next window', () => {
    let now = 120_000 + 15_500;
    const limit = createRequestBudget({ max: 3, now: () => now });
    expect([limit.take('establishment:9990011'), limit.take('establishment:9990011')]).toEqual([
      undefined,
      undefined,
    ]);
    expect(limit.take('establishment:9990011')).toBeUndefined();
    expect(limit.take('establishment:9990011')).toEqual({ retryAfterSeconds: 45, first: true });
    // Only the first refusal of the window is marked first (the one the audit trail writes).
    expect(limit.take('establishment:9990011')).toEqual({ retryAfterSeconds: 45, first: false });
    // Another sender behind the same address has a budget of its own.
    expect(limit.take('establishment:9990022')).toBeUndefined();
    now = 180_000;
    expect(limit.take('establishment:9990011')).toBeUndefined();
  });

  it('says at least one second, never zero, at the very end of a window', () => {
    let now = 59_999;
    const limit = createRequestBudget({ max: 1, now: () => now });
    limit.take('citizen:cpf:x');
    expect(limit.take('citizen:cpf:x')).toEqual({ retryAfterSeconds: 1, first: true });
    now = 60_000;
    expect(limit.take('citizen:cpf:x')).toBeUndefined();
  });

  it('refuses a budget that is not a positive integer', () => {
    expect(() => createRequestBudget({ max: 0 })).toThrow(RangeError);
  });
});
