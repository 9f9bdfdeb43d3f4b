import { jwtVerify, type JWTVerifyGetKey } from 'jose';
import { isValidCpf, type CitizenId } from '@nexo/identifiers';
import { expiry, tokenFailure, type TokenCheck } from './token-failure.ts';

/** Asymmetric algorithms only: a shared-secret (HS*) or unsigned (`none`) token is refused. */
export const CITIZEN_TOKEN_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'];

export interface CitizenIssuer {
  readonly issuer: string;
  readonly audience: string;
  /** The issuer's keys: `createRemoteJWKSet(jwksUrl)` in production, a local set for the dev issuer. */
  readonly keys: JWTVerifyGetKey;
}

export type CitizenTokenVerifier = (token: string) => Promise<TokenCheck<CitizenId>>;

/**
 * Verifies OIDC-style access tokens: signature by one of the issuer's keys, `iss`, `aud`, `exp`
 * (30 s of clock skew), and `sub` = the citizen's CPF (11 digits with valid check digits).
 * With several issuers, the token's `iss` picks the one to verify against.
 */
export const createCitizenTokenVerifier = (issuers: readonly CitizenIssuer[]): CitizenTokenVerifier => {
  return async (token) => {
    // With one issuer there is nothing to choose: the payload is not decoded an extra time.
    const claimed = issuers.length > 1 ? unverifiedIssuer(token) : undefined;
    const issuer = issuers.find((i) => i.issuer === claimed) ?? issuers[0];
    if (!issuer) return { ok: false, reason: 'no citizen token issuer is configured' };
    try {
      const { payload } = await jwtVerify(token, issuer.keys, {
        issuer: issuer.issuer,
        audience: issuer.audience,
        algorithms: CITIZEN_TOKEN_ALGORITHMS,
        clockTolerance: 30,
        requiredClaims: ['sub', 'exp'],
      });
      const cpf = payload.sub ?? '';
      return isValidCpf(cpf)
        ? { ok: true, value: { kind: 'CPF', number: cpf }, ...expiry(payload.exp) }
        : { ok: false, reason: 'token subject is not a CPF' };
    } catch (err) {
      return tokenFailure(err);
    }
  };
};

/** The `iss` a token claims, read without trusting it (only to choose which keys to check). */
const unverifiedIssuer = (token: string): string | undefined => {
  const payload = token.split('.')[1];
  if (!payload || payload.length > 8192) return undefined;
  try {
    const iss = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { iss?: unknown }).iss;
    return typeof iss === 'string' ? iss : undefined;
  } catch {
    return undefined;
  }
};
