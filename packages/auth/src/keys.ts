import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { readSecretJson } from '@nexo/runtime';
import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  type CryptoKey,
  type JWK,
} from 'jose';

/** An ES256 signing key with its public half as a JWK (what a JWKS publishes). */
export interface SigningKey {
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK & { readonly kid: string; readonly alg: 'ES256'; readonly use: 'sig' };
}

export const SIGNING_ALG = 'ES256';

const publicPart = ({ kty, crv, x, y }: JWK): JWK => ({ kty, crv, x, y });

const fromPrivateJwk = async (jwk: JWK): Promise<SigningKey> => {
  const key = await importJWK(jwk, SIGNING_ALG);
  if (!(typeof key === 'object' && 'type' in key && key.type === 'private'))
    throw new Error('the signing key file does not hold a private ES256 key');
  const kid = await calculateJwkThumbprint(publicPart(jwk));
  return { privateKey: key, publicJwk: { ...publicPart(jwk), kid, alg: SIGNING_ALG, use: 'sig' } };
};

/**
 * Loads the private key kept as a JWK in `file`, or creates one (mode 0600) on first start.
 * Every instance that signs or verifies the same tokens must read the same file.
 */
export const loadOrCreateSigningKey = async (file: string): Promise<SigningKey> => {
  if (existsSync(file)) return fromPrivateJwk(readSecretJson(file) as JWK);
  const { privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const jwk = await exportJWK(privateKey);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, `${JSON.stringify(jwk)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as { code?: unknown }).code === 'EEXIST') return loadOrCreateSigningKey(file);
    throw err;
  }
  return fromPrivateJwk(jwk);
};
