import { randomUUID } from 'node:crypto';
import { SignJWT, createLocalJWKSet, jwtVerify } from 'jose';
import { isValidCnes } from '@nexo/identifiers';
import type { TokenGrant } from './establishments.ts';
import { SIGNING_ALG, type SigningKey } from './keys.ts';
import { expiry, tokenFailure, type TokenCheck } from './token-failure.ts';

export const SENDER_TOKEN_ISSUER = 'nexo-auth';
export const SENDER_TOKEN_AUDIENCE = 'nexo-ingest';
export const SENDER_SCOPE = 'bundle.write bundle.read';

/**
 * What a verified sender token says: the establishment, and the registration and secret it was
 * issued under (`EstablishmentState.registration` and `.credential` at the time).
 */
export interface SenderToken extends TokenGrant {
  readonly cnes: string;
}

export interface SenderTokens {
  issue(cnes: string, grant: TokenGrant): Promise<{ readonly token: string; readonly expiresIn: number }>;
  verify(token: string): Promise<TokenCheck<SenderToken>>;
}

/**
 * Tokens issued before the `registration` claim existed were all issued under an establishment's
 * first registration, which is always its stream's first event.
 */
const FIRST_REGISTRATION = 1;

const versionClaim = (claim: unknown, missing: number): number | undefined => {
  if (claim === undefined) return missing;
  return Number.isSafeInteger(claim) && (claim as number) >= 1 ? (claim as number) : undefined;
};

/**
 * Short-lived tokens for senders: ES256 JWTs with `sub` = CNES, `registration` = the stream
 * version its registration began with and `credential` = the version of the event that set the
 * secret it was obtained with (a token without it, issued before the claim existed, counts as
 * obtained with the registration's secret), signed by the hub's key and verified with its public half;
 * clock skew tolerated up to 30 seconds. Whether the registration is still active is the
 * authenticator's question (registration-cache.ts), not the signature's.
 */
export const createSenderTokens = (
  key: SigningKey,
  options: { readonly ttlSeconds: number },
): SenderTokens => {
  const jwks = createLocalJWKSet({ keys: [key.publicJwk] });
  return {
    issue: async (cnes, { registration, credential }) => ({
      token: await new SignJWT({ scope: SENDER_SCOPE, cnes, registration, credential })
        .setProtectedHeader({ alg: SIGNING_ALG, kid: key.publicJwk.kid, typ: 'JWT' })
        .setIssuer(SENDER_TOKEN_ISSUER)
        .setAudience(SENDER_TOKEN_AUDIENCE)
        .setSubject(cnes)
        .setJti(randomUUID())
        .setIssuedAt()
        .setExpirationTime(`${options.ttlSeconds}s`)
        .sign(key.privateKey),
      expiresIn: options.ttlSeconds,
    }),
    verify: async (token) => {
      try {
        const { payload } = await jwtVerify(token, jwks, {
          issuer: SENDER_TOKEN_ISSUER,
          audience: SENDER_TOKEN_AUDIENCE,
          algorithms: [SIGNING_ALG],
          clockTolerance: 30,
          requiredClaims: ['sub', 'exp', 'iat'],
        });
        const cnes = payload.sub ?? '';
        if (!isValidCnes(cnes) || payload.cnes !== cnes)
          return { ok: false, reason: 'the token names no valid CNES' };
        const registration = versionClaim(payload.registration, FIRST_REGISTRATION);
        if (registration === undefined) return { ok: false, reason: 'the token names no valid registration' };
        const credential = versionClaim(payload.credential, registration);
        if (credential === undefined || credential < registration)
          return { ok: false, reason: 'the token names no valid credential' };
        return { ok: true, value: { cnes, registration, credential }, ...expiry(payload.exp) };
      } catch (err) {
        return tokenFailure(err);
      }
    },
  };
};
