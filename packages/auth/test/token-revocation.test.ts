import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SignJWT, decodeJwt } from 'jose';
import type { StoredEvent } from '@nexo/eventstore';
import {
  REGISTRATION_MAX_AGE_MS,
  createRegistrationCache,
  createSenderTokens,
  evolveEstablishment,
  initialEstablishmentState,
  loadOrCreateSigningKey,
  revocationOf,
  type EstablishmentState,
} from '../src/index.ts';
import { storedEstablishmentEvent } from './stored-establishment-event.ts';

const CNES = '9990011';

const stored = (type: string, data: unknown, version: number): StoredEvent =>
  storedEstablishmentEvent(CNES, type, data, version);

const registered = (version: number) =>
  stored('EstablishmentRegistered', { cnes: CNES, name: 'UBS', secretHash: `h${version}` }, version);
const rotated = (version: number) =>
  stored('EstablishmentSecretRotated', { cnes: CNES, secretHash: 'r' }, version);
const disabled = (version: number) =>
  stored('EstablishmentDisabled', { cnes: CNES, reason: 'closed' }, version);
const fold = (events: StoredEvent[]) => events.reduce(evolveEstablishment, initialEstablishmentState());

describe('a sender token names the registration it was issued under: given these events, a token of registration r is', () => {
  const once = [registered(1)];
  const again = [registered(1), disabled(2), registered(3)];
  it.each([
    ['registered', 1, 'admitted', once],
    ['registered, secret rotated', 1, 'admitted', [registered(1), rotated(2)]],
    ['never registered', 1, 'disabled', []],
    ['disabled', 1, 'disabled', [registered(1), disabled(2)]],
    ['disabled, registered again', 1, 'reregistered', again],
    ['disabled, registered again', 3, 'admitted', again],
    ['disabled, registered again, disabled', 3, 'disabled', [...again, disabled(4)]],
  ])('given %s, r=%i: %s', (_given, registration, expected, events) => {
    expect(revocationOf(fold(events as StoredEvent[]), registration as number) ?? 'admitted').toBe(expected);
  });

  it('is the version of the registration event, kept through rotations and disables', () => {
    expect(fold([registered(1), rotated(2)]).registration).toBe(1);
    expect(fold([registered(1), disabled(2)]).registration).toBe(1);
    expect(fold([registered(1), disabled(2), registered(3), rotated(4)]).registration).toBe(3);
  });
});

describe('sender tokens name their registration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nexo-auth-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips the claim; a token without it (issued before it existed) is the first registration', async () => {
    const key = await loadOrCreateSigningKey(join(dir, 'token.jwk.json'));
    const tokens = createSenderTokens(key, { ttlSeconds: 900 });
    const { token } = await tokens.issue(CNES, 3);
    expect(decodeJwt(token)).toMatchObject({ sub: CNES, cnes: CNES, registration: 3 });
    expect(await tokens.verify(token)).toEqual({ ok: true, value: { cnes: CNES, registration: 3 } });

    const sign = (claims: Record<string, unknown>) =>
      new SignJWT({ cnes: CNES, ...claims })
        .setProtectedHeader({ alg: 'ES256', kid: key.publicJwk.kid })
        .setIssuer('nexo-auth')
        .setAudience('nexo-ingest')
        .setSubject(CNES)
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(key.privateKey);
    expect(await tokens.verify(await sign({}))).toEqual({ ok: true, value: { cnes: CNES, registration: 1 } });
    for (const registration of [0, -1, 1.5, '3', null])
      expect(await tokens.verify(await sign({ registration })), String(registration)).toEqual({
        ok: false,
        reason: 'the token names no valid registration',
      });
  });
});

/** A registry stand-in whose registration the test changes, counting its reads; a clock the test moves. */
const harness = (initial: EstablishmentState) => {
  let state = initial;
  let time = 0;
  const reads: string[] = [];
  const cache = createRegistrationCache({
    read: async (cnes) => {
      reads.push(cnes);
      return state;
    },
    now: () => time,
  });
  return {
    cache,
    reads,
    set: (next: EstablishmentState) => void (state = next),
    advance: (ms: number) => void (time += ms),
  };
};

describe('the registration cache', () => {
  const active = fold([registered(1)]);
  const off = fold([registered(1), disabled(2)]);
  const again = fold([registered(1), disabled(2), registered(3)]);
  const revokedAs = (revoked: string, reason: string) => ({
    ok: false,
    revoked,
    reason,
    claimed: { kind: 'establishment', id: CNES },
  });

  it('reads a registration at most once per REGISTRATION_MAX_AGE_MS, and sees a disable made elsewhere within it', async () => {
    const { cache, reads, set, advance } = harness(active);
    expect(await cache.admit({ cnes: CNES, registration: 1 })).toEqual({ ok: true, value: CNES });
    advance(REGISTRATION_MAX_AGE_MS - 1);
    expect(await cache.admit({ cnes: CNES, registration: 1 })).toEqual({ ok: true, value: CNES });
    expect(reads).toEqual([CNES]);
    set(off); // another process disables it: not seen until the entry is REGISTRATION_MAX_AGE_MS old
    advance(1);
    expect(await cache.admit({ cnes: CNES, registration: 1 })).toEqual(
      revokedAs('disabled', 'token revoked: establishment disabled'),
    );
    expect(reads).toEqual([CNES, CNES]);
  });

  it('forgets at once when this process changes the registry, even while a read is under way', async () => {
    const { cache, reads, set } = harness(active);
    const slowRead = cache.admit({ cnes: CNES, registration: 1 }); // a read starts before the disable
    set(off);
    cache.forget(CNES);
    expect(await slowRead).toEqual({ ok: true, value: CNES }); // answered as of its start
    expect(await cache.admit({ cnes: CNES, registration: 1 })).toMatchObject({
      ok: false,
      revoked: 'disabled',
    });
    expect(reads).toEqual([CNES, CNES]);
  });

  it('refuses old tokens after a registration again, and reads again for a token newer than what it knows', async () => {
    const { cache, reads, set } = harness(off);
    expect(await cache.admit({ cnes: CNES, registration: 1 })).toMatchObject({ revoked: 'disabled' });
    set(again); // registered again elsewhere; a token of the new registration arrives at once
    expect(await cache.admit({ cnes: CNES, registration: 3 })).toEqual({ ok: true, value: CNES });
    expect(await cache.admit({ cnes: CNES, registration: 1 })).toEqual(
      revokedAs('reregistered', 'token revoked: establishment registered again since it was issued'),
    );
    expect(reads).toEqual([CNES, CNES]);
  });

  it('shares one read between concurrent checks and does not keep a failed one', async () => {
    let calls = 0;
    let fail = true;
    const cache = createRegistrationCache({
      read: async () => {
        calls += 1;
        if (fail) throw new Error('store down');
        return active;
      },
      now: () => 0,
    });
    const failed = await Promise.allSettled([
      cache.admit({ cnes: CNES, registration: 1 }),
      cache.admit({ cnes: CNES, registration: 1 }),
    ]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(calls).toBe(1);
    fail = false;
    expect(await cache.admit({ cnes: CNES, registration: 1 })).toEqual({ ok: true, value: CNES });
    expect(calls).toBe(2);
  });
});
