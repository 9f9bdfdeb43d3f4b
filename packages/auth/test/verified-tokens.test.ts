/** Tokens verified once, then remembered until they expire (verified-tokens.ts). */
import { describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair } from 'jose';
import {
  createSenderTokens,
  rememberVerifiedTokens,
  type TokenCheck,
  type TokenVerifier,
} from '../src/index.ts';

const T0 = Date.parse('2026-12-04T10:00:00Z');

/** A verifier that accepts `valid` tokens (expiring at `exp`, seconds) and counts its calls. */
const countingVerifier = (valid: ReadonlyMap<string, number>) => {
  const calls: string[] = [];
  const verify: TokenVerifier<string> = async (token) => {
    calls.push(token);
    const exp = valid.get(token);
    return exp === undefined
      ? { ok: false, reason: 'token not signed by a trusted key' }
      : { ok: true, value: `principal of ${token}`, expiresAt: exp };
  };
  return { verify, calls };
};

const clock = () => {
  let now = T0;
  return { now: () => now, advance: (ms: number) => (now += ms) };
};

describe('verified tokens', () => {
  it('verifies a valid token once while it is remembered, and a refused one every time', async () => {
    const inner = countingVerifier(new Map([['good', T0 / 1000 + 900]]));
    const time = clock();
    const verify = rememberVerifiedTokens(inner.verify, { maxEntries: 10, maxAgeMs: 60_000, now: time.now });
    for (let i = 0; i < 3; i++)
      expect(await verify('good')).toMatchObject({ ok: true, value: 'principal of good' });
    for (let i = 0; i < 3; i++) expect(await verify('forged')).toMatchObject({ ok: false });
    expect(inner.calls).toEqual(['good', 'forged', 'forged', 'forged']);
  });

  it('verifies again once the token expires, or after maxAgeMs, whichever comes first', async () => {
    const inner = countingVerifier(
      new Map([
        ['short', T0 / 1000 + 10],
        ['long', T0 / 1000 + 900],
      ]),
    );
    const time = clock();
    const verify = rememberVerifiedTokens(inner.verify, { maxEntries: 10, maxAgeMs: 60_000, now: time.now });
    await verify('short');
    await verify('long');
    time.advance(9_999);
    await verify('short');
    await verify('long');
    expect(inner.calls).toEqual(['short', 'long']);
    time.advance(1);
    // `short` reached its exp: what the verifier says now decides (its own clock skew included).
    await verify('short');
    expect(inner.calls).toEqual(['short', 'long', 'short']);
    time.advance(50_000);
    await verify('long');
    expect(inner.calls).toEqual(['short', 'long', 'short', 'long']);
  });

  it('serves a token past its exp only through the verifier, which refuses it', async () => {
    const time = clock();
    const verify = rememberVerifiedTokens<string>(
      async (token) =>
        time.now() >= T0 + 5_000
          ? { ok: false, reason: 'expired token', expired: true }
          : { ok: true, value: token, expiresAt: T0 / 1000 + 5 },
      { maxEntries: 10, maxAgeMs: 60_000, now: time.now },
    );
    expect(await verify('t')).toMatchObject({ ok: true });
    time.advance(5_000);
    expect(await verify('t')).toEqual({ ok: false, reason: 'expired token', expired: true });
  });

  it('keeps at most maxEntries, dropping the oldest', async () => {
    const exp = T0 / 1000 + 900;
    const inner = countingVerifier(
      new Map([
        ['a', exp],
        ['b', exp],
        ['c', exp],
      ]),
    );
    const verify = rememberVerifiedTokens(inner.verify, {
      maxEntries: 2,
      maxAgeMs: 60_000,
      now: clock().now,
    });
    for (const token of ['a', 'b', 'c', 'c', 'b', 'a']) await verify(token);
    expect(inner.calls).toEqual(['a', 'b', 'c', 'a']);
  });

  it('remembers nothing the verifier gave no expiry for', async () => {
    const calls: string[] = [];
    const verify = rememberVerifiedTokens<string>(
      async (token): Promise<TokenCheck<string>> => {
        calls.push(token);
        return { ok: true, value: token };
      },
      { maxEntries: 10, maxAgeMs: 60_000, now: clock().now },
    );
    await verify('x');
    await verify('x');
    expect(calls).toEqual(['x', 'x']);
  });

  it('remembers a signed sender token under its exp, and not a copy with another signature', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k', alg: 'ES256' as const, use: 'sig' as const };
    const tokens = createSenderTokens({ privateKey, publicJwk: jwk }, { ttlSeconds: 900 });
    const { token } = await tokens.issue('9990011', { registration: 1, credential: 1 });
    const first = await tokens.verify(token);
    expect(first).toMatchObject({ ok: true, value: { cnes: '9990011' } });
    expect(first.ok && first.expiresAt).toBeGreaterThan(Date.now() / 1000 + 800);
    const calls: string[] = [];
    const verify = rememberVerifiedTokens(async (t: string) => {
      calls.push(t);
      return tokens.verify(t);
    });
    const [header, payload] = token.split('.');
    const forged = `${header}.${payload}.${'A'.repeat(86)}`;
    expect(await verify(token)).toMatchObject({ ok: true });
    expect(await verify(forged)).toMatchObject({ ok: false, reason: 'token not signed by a trusted key' });
    expect(await verify(token)).toMatchObject({ ok: true });
    expect(calls).toEqual([token, forged]);
  });
});
