import { randomUUID } from 'node:crypto';
import { SignJWT, createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { SIGNING_ALG, type SigningKey } from './keys.ts';
import type { CitizenIssuer } from './citizen-tokens.ts';

/** The base path of the development issuer's endpoints. */
export const DEV_ISSUER_PATH = '/dev-issuer';

export interface DevIssuer extends CitizenIssuer {
  readonly jwks: JSONWebKeySet;
  /** A token for the citizen with this CPF, as an OIDC provider would issue after a login. */
  issue(cpf: string): Promise<{ readonly token: string; readonly expiresIn: number }>;
}

/**
 * The development issuer for the embedded mode and the demo: a key pair kept under the data
 * folder, a JWKS, and a login that signs a token for any valid CPF without a password. It
 * exists only when `NEXO_AUTH_MODE=development`.
 */
export const createDevIssuer = (
  key: SigningKey,
  options: { readonly publicUrl: string; readonly audience: string; readonly ttlSeconds: number },
): DevIssuer => {
  const jwks: JSONWebKeySet = { keys: [key.publicJwk] };
  const issuer = `${options.publicUrl}${DEV_ISSUER_PATH}`;
  return {
    issuer,
    audience: options.audience,
    jwks,
    keys: createLocalJWKSet(jwks),
    issue: async (cpf) => ({
      token: await new SignJWT({ scope: 'openid citizen' })
        .setProtectedHeader({ alg: SIGNING_ALG, kid: key.publicJwk.kid, typ: 'JWT' })
        .setIssuer(issuer)
        .setAudience(options.audience)
        .setSubject(cpf)
        .setJti(randomUUID())
        .setIssuedAt()
        .setExpirationTime(`${options.ttlSeconds}s`)
        .sign(key.privateKey),
      expiresIn: options.ttlSeconds,
    }),
  };
};
