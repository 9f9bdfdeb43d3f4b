import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Client secrets are 32 random bytes (base64url) shown once; only a salted scrypt hash is kept:
 * `scrypt$<N>$<r>$<p>$<salt>$<hash>`. Comparison is constant-time.
 */
const PARAMS = { N: 16_384, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

const derive = (secret: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> =>
  new Promise((resolve, reject) =>
    scrypt(secret, salt, KEY_LENGTH, { ...options, maxmem: 64 * 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );

export const generateSecret = (): string => randomBytes(32).toString('base64url');

export const hashSecret = async (secret: string): Promise<string> => {
  const salt = randomBytes(16);
  const hash = await derive(secret, salt, PARAMS);
  return [
    'scrypt',
    PARAMS.N,
    PARAMS.r,
    PARAMS.p,
    salt.toString('base64url'),
    hash.toString('base64url'),
  ].join('$');
};

/** A hash no secret matches: checked for unknown clients so their answer takes as long. */
export const UNMATCHABLE_HASH = `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${Buffer.alloc(16).toString('base64url')}$${Buffer.alloc(KEY_LENGTH).toString('base64url')}`;

export const verifySecret = async (secret: string, stored: string): Promise<boolean> => {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const options = { N: Number(n), r: Number(r), p: Number(p) };
  if (![options.N, options.r, options.p].every(Number.isInteger)) return false;
  // Secrets longer than any we issue are refused after the same work, not before it.
  const given = await derive(secret.slice(0, 256), Buffer.from(salt, 'base64url'), options);
  return given.length === expected.length && timingSafeEqual(given, expected) && secret.length <= 256;
};
