import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Citizens appear in the audit log as a keyed hash (HMAC-SHA-256) of their identifier, never the
 * number: a plain hash of an 11-digit CPF is reversed by trying every CPF, a keyed one is not
 * without the key. Whoever holds the key (the data protection officer answering a citizen's
 * request) computes a citizen's pseudonym and finds their entries.
 */
export type Pseudonymizer = (kind: 'CPF' | 'CNS', number: string) => string;

export const createPseudonymizer =
  (key: Buffer): Pseudonymizer =>
  (kind, number) => {
    const prefix = kind === 'CPF' ? 'cpf' : 'cns';
    return `${prefix}:${createHmac('sha256', key).update(`${prefix}:${number}`).digest('hex').slice(0, 32)}`;
  };

/** Reads the pseudonym key from `file`, creating a random one (mode 0600) on first use. */
export const loadOrCreateKey = (file: string): Buffer => {
  if (existsSync(file)) {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
    if (key.length < 32) throw new Error(`the key in ${file} is shorter than 32 bytes`);
    return key;
  }
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  try {
    writeFileSync(file, `${key.toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    // Another process created it first: use theirs.
    if ((err as { code?: unknown }).code === 'EEXIST') return loadOrCreateKey(file);
    throw err;
  }
  return key;
};
