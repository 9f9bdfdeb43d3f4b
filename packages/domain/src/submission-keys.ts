import { createHash } from 'node:crypto';
import type { BundleIdentifier } from './events.ts';

/**
 * The stream of a submission is named by a hash of (sender, Bundle.identifier): the identifier
 * is sender text that could carry anything, and stream names travel to logs and topics.
 */
export const submissionStream = (sender: string, identifier: BundleIdentifier): string =>
  `submission-${sha256(`${sender}\u0000${identifier.system}\u0000${identifier.value}`).slice(0, 40)}`;

/** Each sender's rejected submissions, listed back to it so it can fix and resend them. */
export const rejectionStream = (sender: string): string => `rejections-${sender}`;

/**
 * SHA-256 of the canonical JSON (keys sorted at every level): two posts of the same Bundle
 * hash equal whatever their key order or white space. A number is hashed by its value, the way the
 * document is kept: `5.0` and `5.00` are both `5` once parsed, so a resend that writes a number
 * another way is the same content (docs/senders.md says so), never a change Nexo could record.
 */
export const contentHash = (document: unknown): string => sha256(canonicalJson(document));

export const canonicalJson = (value: unknown): string => {
  // Loops and string appends rather than map/join: this runs over every accepted document on
  // the ingest path, where the closures and intermediate arrays showed in the profile.
  if (typeof value !== 'object' || value === null) return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const keys = Object.keys(value).sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    out += (i === 0 ? '' : ',') + quotedKey(key) + canonicalJson((value as Record<string, unknown>)[key]);
  }
  return `${out}}`;
};

/**
 * `"key":` for each key met so far. FHIR documents repeat a few hundred element names, and quoting
 * each anew was a quarter of this function's time (about 10 µs of a 2.7 KB RIA). Keys are sender
 * text, so the memo stops growing at its bound; later new keys are quoted each time.
 */
const QUOTED_KEYS_BOUND = 4_096;
const quotedKeys = new Map<string, string>();
const quotedKey = (key: string): string => {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = `${JSON.stringify(key)}:`;
    if (quotedKeys.size < QUOTED_KEYS_BOUND) quotedKeys.set(key, quoted);
  }
  return quoted;
};

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
