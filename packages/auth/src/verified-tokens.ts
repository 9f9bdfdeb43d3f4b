/**
 * Remembers the tokens a verifier accepted, so a token presented again is not verified again. A
 * sender keeps its token for its whole lifetime (15 min by default) and sends every submission with
 * it; a citizen's portal sends the same token with each call of a session. Each verification is an
 * ES256 signature check, about as much CPU as the rest of a card read on the hub's request thread;
 * remembered, it is a map lookup.
 *
 * - Only acceptances are remembered, each under the whole token: a refused, altered or unknown
 *   token is verified every time, so no one can fill the map without valid tokens.
 * - An entry lasts until the token's `exp`, and at most `maxAgeMs`: a key the issuer withdraws
 *   from its JWKS (a rotation after a leak) stops vouching for the tokens it signed within that
 *   time. Past either, the token is verified again, which decides (clock skew included).
 * - What the verifier does after the signature, per request, stays per request: whether a
 *   sender's registration still admits the token (registration-cache.ts) is not a property of
 *   the token.
 * - At most `maxEntries` are kept, the oldest dropped first, a few megabytes at most.
 */
import type { TokenCheck } from './token-failure.ts';

export type TokenVerifier<T> = (token: string) => Promise<TokenCheck<T>>;

export interface VerifiedTokenOptions {
  readonly maxEntries: number;
  readonly maxAgeMs: number;
  readonly now?: () => number;
}

export const VERIFIED_TOKEN_DEFAULTS: VerifiedTokenOptions = { maxEntries: 10_000, maxAgeMs: 60_000 };

interface Remembered<T> {
  readonly check: TokenCheck<T>;
  /** Milliseconds since the epoch from which the token is verified again. */
  readonly until: number;
}

export const rememberVerifiedTokens = <T>(
  verify: TokenVerifier<T>,
  options: VerifiedTokenOptions = VERIFIED_TOKEN_DEFAULTS,
): TokenVerifier<T> => {
  const { maxEntries, maxAgeMs } = options;
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1)
    throw new RangeError(`maxEntries must be an integer ≥ 1, got ${maxEntries}`);
  const now = options.now ?? Date.now;
  // A Map iterates in insertion order: the first key is the oldest entry.
  const remembered = new Map<string, Remembered<T>>();
  return async (token) => {
    const entry = remembered.get(token);
    if (entry !== undefined) {
      if (now() < entry.until) return entry.check;
      remembered.delete(token);
    }
    const check = await verify(token);
    if (!check.ok || check.expiresAt === undefined) return check;
    const verifiedAt = now();
    const until = Math.min(check.expiresAt * 1000, verifiedAt + maxAgeMs);
    if (until <= verifiedAt) return check;
    if (remembered.size >= maxEntries) remembered.delete(remembered.keys().next().value as string);
    remembered.set(token, { check, until });
    return check;
  };
};
