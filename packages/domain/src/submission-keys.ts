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
 * hash equal whatever their key order or white space.
 */
export const contentHash = (document: unknown): string => sha256(canonicalJson(document));

export const canonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
};

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
