import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * The bearer token of a request. Software written for the national network sends it in
 * `X-Authorization-Server`; everything else in `Authorization`. Tokens longer than 8 KiB are
 * not tokens we issue or accept.
 */
export const bearerToken = (headers: IncomingHttpHeaders): string | undefined => {
  for (const name of ['authorization', 'x-authorization-server']) {
    const value = headers[name];
    const text = Array.isArray(value) ? value[0] : value;
    const match = typeof text === 'string' && text.length <= 8192 ? /^Bearer +(\S+)$/i.exec(text) : null;
    if (match?.[1]) return match[1];
  }
  return undefined;
};

/** Development tokens (`dev-establishment-…`, `dev-citizen-…`) are recognised by their prefix. */
export const isDevelopmentToken = (token: string): boolean => token.startsWith('dev-');

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Whether a presented token is a configured one (the admin's, the identity feed's). Digests have one
 * length, so the comparison's time says nothing about the token.
 */
export const isSameToken = (given: string, expected: string): boolean =>
  timingSafeEqual(digest(given), digest(expected));
