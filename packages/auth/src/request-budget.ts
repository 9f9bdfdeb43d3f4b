/**
 * A budget of requests per key and per window: what the authenticator spends for each
 * authenticated sender or citizen (the per-address limit cannot tell apart the UBS behind one
 * municipal NAT), and for each client address's refused authentications. Windows are fixed and
 * aligned on the clock, kept in memory per process like the per-address counts: the map is replaced
 * when a window ends, so it only ever holds the keys seen in the current one.
 */
export interface RequestBudget {
  /** The most requests a key may make in one window. */
  readonly max: number;
  /** Counts a request of `key`: undefined when it is within the budget, otherwise the refusal. */
  take(key: string): BudgetRefusal | undefined;
}

export interface BudgetRefusal {
  /** The whole seconds until the window ends (what `Retry-After` says). */
  readonly retryAfterSeconds: number;
  /**
   * The key's first refusal in this window: the one the audit trail writes, so that a principal or
   * an address that hits its limit is on record, once a window whatever the pace of the flood.
   */
  readonly first: boolean;
}

export const createRequestBudget = (options: {
  readonly max: number;
  readonly windowMs?: number;
  readonly now?: () => number;
}): RequestBudget => {
  const { max } = options;
  const windowMs = options.windowMs ?? 60_000;
  const now = options.now ?? Date.now;
  if (!Number.isSafeInteger(max) || max < 1) throw new RangeError(`max must be an integer ≥ 1, got ${max}`);
  let window = Number.NaN;
  let counts = new Map<string, number>();
  return {
    max,
    take: (key) => {
      const at = now();
      const current = Math.floor(at / windowMs);
      if (current !== window) {
        window = current;
        counts = new Map();
      }
      const count = (counts.get(key) ?? 0) + 1;
      counts.set(key, count);
      if (count <= max) return undefined;
      return {
        retryAfterSeconds: Math.max(1, Math.ceil(((current + 1) * windowMs - at) / 1000)),
        first: count === max + 1,
      };
    },
  };
};
