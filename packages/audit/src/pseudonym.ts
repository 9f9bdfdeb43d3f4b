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

/** Pseudonyms remembered: about a megabyte. */
const RECENT_PSEUDONYMS = 10_000;

export const createPseudonymizer = (key: Buffer): Pseudonymizer => {
  // A citizen's portal session asks for the same pseudonym at every call, and an HMAC costs more
  // than the rest of the audit entry: the most recent ones are kept (a Map keeps insertion order,
  // so the first key is the oldest).
  const recent = new Map<string, string>();
  return (kind, number) => {
    const prefix = kind === 'CPF' ? 'cpf' : 'cns';
    const identifier = `${prefix}:${number}`;
    let pseudonym = recent.get(identifier);
    if (pseudonym === undefined) {
      pseudonym = `${prefix}:${createHmac('sha256', key).update(identifier).digest('hex').slice(0, 32)}`;
      if (recent.size >= RECENT_PSEUDONYMS) recent.delete(recent.keys().next().value as string);
      recent.set(identifier, pseudonym);
    }
    return pseudonym;
  };
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
