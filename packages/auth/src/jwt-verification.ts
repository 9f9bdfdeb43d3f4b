/**
 * Verifies a signed JWT (compact JWS) as every token check of the hub needs it: the key found by
 * jose's key resolvers, the signature and the claims checked by fast-jwt.
 *
 * - jose finds the key: a local key set (the hub's own key, the development issuer's) or an
 *   issuer's JWKS, fetched, cached and fetched again on an unknown `kid` (`createRemoteJWKSet`).
 * - fast-jwt checks the rest: the algorithm against the allowed ones, the signature through
 *   node:crypto, `crit`, `iss`, `aud`, `exp` and `nbf` with the clock tolerance, required claims.
 *
 * Why not jose's `jwtVerify` for the second half: it checks the signature through WebCrypto, which
 * cost 310–390 µs of CPU per ES256 token against 180 µs this way (docs/performance.md). A citizen
 * portal's first call with each new token pays it, and so does every card read of the bench.
 */
import { KeyObject, createPublicKey, type webcrypto } from 'node:crypto';
import { createVerifier, type Algorithm } from 'fast-jwt';
import {
  decodeProtectedHeader,
  errors,
  type JWK,
  type JWSHeaderParameters,
  type JWTVerifyGetKey,
} from 'jose';

/** What a token must say to be accepted, besides a good signature. */
export interface JwtExpectations {
  readonly issuer: string;
  readonly audience: string;
  /** Asymmetric algorithms only: the key resolvers never return a shared secret. */
  readonly algorithms: readonly Algorithm[];
  /** Claims that must be present; `iss`, `aud` and `exp` always are. */
  readonly requiredClaims: readonly string[];
}

/** How far a token's `exp` and `nbf` may be off the hub's clock. */
export const CLOCK_TOLERANCE_SECONDS = 30;

export type JwtPayload = Readonly<Record<string, unknown>>;

/** Verifies a token and answers its payload; throws jose's or fast-jwt's coded errors otherwise. */
export type JwtVerifier = (token: string) => Promise<JwtPayload>;

/** The token's header, read before its signature is checked (only to choose the key). */
const headerOf = (token: string): JWSHeaderParameters => {
  try {
    return decodeProtectedHeader(token);
  } catch {
    // jose throws a plain TypeError here; a coded error says "malformed token", not "keys unavailable".
    throw new errors.JWTInvalid('Invalid Token or Protected Header formatting');
  }
};

type ResolvedKey = Awaited<ReturnType<JWTVerifyGetKey>>;
type CheckSignatureAndClaims = (token: string) => JwtPayload;

/** The public key a resolver answered, as node:crypto reads it. */
const publicKeyOf = (key: ResolvedKey): KeyObject => {
  if (key instanceof Uint8Array) throw new errors.JOSEAlgNotAllowed('a shared secret is not a public key');
  const object =
    'kty' in key
      ? createPublicKey({ key: key as JWK & { kty: string }, format: 'jwk' })
      : key instanceof KeyObject
        ? key
        : KeyObject.from(key as webcrypto.CryptoKey);
  if (object.type !== 'public') throw new errors.JOSEAlgNotAllowed('the key is not a public key');
  return object;
};

export const createJwtVerifier = (keys: JWTVerifyGetKey, expected: JwtExpectations): JwtVerifier => {
  const requiredClaims = [...new Set(['iss', 'aud', 'exp', ...expected.requiredClaims])];
  // A resolver answers the same key object for the same key while its set is unchanged, so one
  // checker per key is built once; a key the set drops is forgotten with it.
  const checkers = new WeakMap<object, CheckSignatureAndClaims>();
  const checkerFor = (key: ResolvedKey): CheckSignatureAndClaims => {
    const known = checkers.get(key);
    if (known) return known;
    const checker = createVerifier({
      key: publicKeyOf(key).export({ type: 'spki', format: 'pem' }).toString(),
      algorithms: [...expected.algorithms],
      allowedIss: expected.issuer,
      allowedAud: expected.audience,
      requiredClaims,
      clockTolerance: CLOCK_TOLERANCE_SECONDS * 1000,
      // Remembering verified tokens is verified-tokens.ts's job, with its own bounds.
      cache: false,
    }) as (token: string) => JwtPayload;
    checkers.set(key, checker);
    return checker;
  };

  return async (token) => {
    const header = headerOf(token);
    const alg = expected.algorithms.find((allowed) => allowed === header.alg);
    if (alg === undefined)
      throw new errors.JOSEAlgNotAllowed('"alg" (Algorithm) Header Parameter value not allowed');
    const [protectedHeader = '', payload = '', signature = ''] = token.split('.');
    const key = await keys({ ...header, alg }, { protected: protectedHeader, payload, signature });
    return checkerFor(key)(token);
  };
};
