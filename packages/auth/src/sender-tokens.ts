import { randomUUID } from 'node:crypto';
import { SignJWT, createLocalJWKSet, jwtVerify } from 'jose';
import { isValidCnes } from '@nexo/identifiers';
import { SIGNING_ALG, type SigningKey } from './keys.ts';
import { tokenFailure, type TokenCheck } from './token-failure.ts';

export const SENDER_TOKEN_ISSUER = 'nexo-auth';
export const SENDER_TOKEN_AUDIENCE = 'nexo-ingest';
export const SENDER_SCOPE = 'bundle.write bundle.read';

export interface SenderTokens {
  issue(cnes: string): Promise<{ readonly token: string; readonly expiresIn: number }>;
  verify(token: string): Promise<TokenCheck<string>>;
}

/**
 * Short-lived tokens for senders: ES256 JWTs with `sub` = CNES, signed by the hub's key and
 * verified with its public half; clock skew tolerated up to 30 seconds.
 */
export const createSenderTokens = (
  key: SigningKey,
  options: { readonly ttlSeconds: number },
): SenderTokens => {
  const jwks = createLocalJWKSet({ keys: [key.publicJwk] });
  return {
    issue: async (cnes) => ({
      token: await new SignJWT({ scope: SENDER_SCOPE, cnes })
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
        return isValidCnes(cnes) && payload.cnes === cnes
          ? { ok: true, value: cnes }
          : { ok: false, reason: 'the token names no valid CNES' };
      } catch (err) {
        return tokenFailure(err);
      }
    },
  };
};
