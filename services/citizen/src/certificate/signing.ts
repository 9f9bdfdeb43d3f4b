import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readSecretJson } from '@nexo/runtime';

/**
 * What a verification code states, and nothing more than the certificate shows: the kind of
 * certificate, when it was issued, how many doses it lists, the date of the last one and the
 * holder's masked name. Short keys keep the code (and its QR code) small.
 */
export interface CertificateClaims {
  /** Claims format version. */
  readonly v: 1;
  /** Id of the signing key, so keys can be rotated. */
  readonly k: string;
  readonly t: 'covid-19';
  /** Issue instant, to the second. */
  readonly i: string;
  /** Number of doses listed. */
  readonly d: number;
  /** Date of the last dose listed (YYYY-MM-DD). */
  readonly l: string;
  /** Masked name (initials), when the registry knows the name. */
  readonly n?: string;
}

export interface CertificateSigner {
  readonly keyId: string;
  /** The public key as a JWK (OKP, Ed25519): anyone holding it verifies codes offline. */
  readonly publicJwk: {
    readonly kty: 'OKP';
    readonly crv: 'Ed25519';
    readonly x: string;
    readonly kid: string;
  };
  /** `<base64url(claims JSON)>.<base64url(Ed25519 signature of those bytes)>`. */
  sign(claims: Omit<CertificateClaims, 'v' | 'k'>): string;
  /** The claims of a genuine code; undefined for anything else (tampered, truncated, another key). */
  verify(code: string): CertificateClaims | undefined;
}

const B64URL = /^[A-Za-z0-9_-]+$/;
/**
 * The longest code `verify` reads (longer is refused unread). A code signed today is under 500
 * characters (MASKED_WORDS); codes signed before that bound named up to 100 initials of a
 * 200-character name, up to about 1,200 characters, and stay verifiable.
 */
const MAX_CODE = 2048;

const keyIdOf = (publicKey: KeyObject): string =>
  createHash('sha256')
    .update(publicKey.export({ format: 'der', type: 'spki' }))
    .digest('base64url')
    .slice(0, 12);

const isClaims = (value: unknown, keyId: string): value is CertificateClaims => {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Record<string, unknown>;
  return (
    c.v === 1 &&
    c.k === keyId &&
    c.t === 'covid-19' &&
    typeof c.i === 'string' &&
    !Number.isNaN(Date.parse(c.i)) &&
    Number.isInteger(c.d) &&
    typeof c.l === 'string' &&
    (c.n === undefined || typeof c.n === 'string')
  );
};

export const createCertificateSigner = (privateKey: KeyObject): CertificateSigner => {
  const publicKey = createPublicKey(privateKey);
  const keyId = keyIdOf(publicKey);
  const { x } = publicKey.export({ format: 'jwk' });
  if (typeof x !== 'string') throw new TypeError('the certificate key is not an Ed25519 key');
  return {
    keyId,
    publicJwk: { kty: 'OKP', crv: 'Ed25519', x, kid: keyId },
    sign: (claims) => {
      const payload = Buffer.from(JSON.stringify({ v: 1, k: keyId, ...claims }), 'utf8');
      return `${payload.toString('base64url')}.${sign(null, payload, privateKey).toString('base64url')}`;
    },
    verify: (code) => {
      if (code.length > MAX_CODE) return undefined;
      const [payload, signature, ...rest] = code.split('.');
      if (!payload || !signature || rest.length > 0 || !B64URL.test(payload) || !B64URL.test(signature))
        return undefined;
      const bytes = Buffer.from(payload, 'base64url');
      // base64url decoding ignores stray characters: insist the text is the canonical encoding.
      if (bytes.toString('base64url') !== payload) return undefined;
      try {
        if (!verify(null, bytes, publicKey, Buffer.from(signature, 'base64url'))) return undefined;
        const claims: unknown = JSON.parse(bytes.toString('utf8'));
        return isClaims(claims, keyId) ? claims : undefined;
      } catch {
        return undefined;
      }
    },
  };
};

/** Where the key lives by default: beside the other keys under the data folder. */
export const defaultCertificateKeyFile = (dataDir: string): string =>
  join(dataDir, 'keys', 'certificate-signing.jwk.json');

/**
 * The signing key from its file (a private JWK), created on first start with mode 0600. Every
 * instance that issues certificates must read the same file, like the token signing key.
 */
export const loadCertificateSigner = (file: string): CertificateSigner => {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ed25519');
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(privateKey.export({ format: 'jwk' })), { mode: 0o600 });
    // Another instance starting at the same moment may have written the file first: keep theirs.
    if (existsSync(file)) rmSync(temporary, { force: true });
    else renameSync(temporary, file);
  }
  const jwk = readSecretJson(file);
  if (typeof jwk !== 'object' || jwk === null || (jwk as { crv?: unknown }).crv !== 'Ed25519')
    throw new TypeError(`${file} does not hold an Ed25519 private key (JWK)`);
  return createCertificateSigner(createPrivateKey({ key: jwk as JsonWebKey, format: 'jwk' }));
};

/**
 * Initials a masked name keeps at most: the first ones and the last (the family name). A name of
 * many one-letter words would otherwise make the code, and its QR code, as long as the name.
 */
const MASKED_WORDS = 8;

/** Initials only: `Maria da Silva` → `M*** d*** S***`; past MASKED_WORDS words, `…` stands for the middle ones. */
export const maskName = (name: string): string => {
  const initials = name
    .trim()
    .split(/\s+/)
    .filter((word) => word.length > 0)
    .map((word) => `${[...word][0] ?? ''}***`);
  return initials.length <= MASKED_WORDS
    ? initials.join(' ')
    : [...initials.slice(0, MASKED_WORDS - 1), '…', initials.at(-1)].join(' ');
};
