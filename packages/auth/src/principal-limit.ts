/**
 * Requests per minute per authenticated principal: a sender's CNES, a citizen's pseudonym. The
 * per-address limit (security.ts) cannot tell apart the UBS behind one municipal NAT, so it is
 * only a loose guard; this one gives each sender and each citizen a budget of their own. Windows
 * are fixed and aligned on the clock, kept in memory per process like the per-address counts: the
 * map is replaced when a window ends, so it only ever holds the principals seen in the current one.
 */
export interface PrincipalLimit {
  /** The most requests a principal may make in one window. */
  readonly max: number;
  /**
   * Counts a request of `principal`: undefined when it is within the budget, otherwise the whole
   * seconds until the window ends (what `Retry-After` says).
   */
  take(principal: string): number | undefined;
}

export const createPrincipalLimit = (options: {
  readonly max: number;
  readonly windowMs?: number;
  readonly now?: () => number;
}): PrincipalLimit => {
  const { max } = options;
  const windowMs = options.windowMs ?? 60_000;
  const now = options.now ?? Date.now;
  if (!Number.isSafeInteger(max) || max < 1) throw new RangeError(`max must be an integer ≥ 1, got ${max}`);
  let window = Number.NaN;
  let counts = new Map<string, number>();
  return {
    max,
    take: (principal) => {
      const at = now();
      const current = Math.floor(at / windowMs);
      if (current !== window) {
        window = current;
        counts = new Map();
      }
      const count = (counts.get(principal) ?? 0) + 1;
      counts.set(principal, count);
      return count <= max ? undefined : Math.max(1, Math.ceil(((current + 1) * windowMs - at) / 1000));
    },
  };
};
