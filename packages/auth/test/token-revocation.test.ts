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

/** A verified token of registration `registration` obtained with the secret set at version `credential`. */
const token = (registration: number, credential = registration) => ({ cnes: CNES, registration, credential });

describe('a sender token names the registration and the secret it was issued under: given these events, a token (r, c) is', () => {
  const once = [registered(1)];
  const again = [registered(1), disabled(2), registered(3)];
  const rotatedOnce = [registered(1), rotated(2)];
  it.each([
    ['registered', 1, 1, 'admitted', once],
    ['registered, secret rotated', 1, 1, 'rotated', rotatedOnce],
    ['registered, secret rotated', 1, 2, 'admitted', rotatedOnce],
    ['registered, rotated twice', 1, 2, 'rotated', [...rotatedOnce, rotated(3)]],
    ['never registered', 1, 1, 'disabled', []],
    ['disabled', 1, 1, 'disabled', [registered(1), disabled(2)]],
    ['disabled after a rotation', 1, 2, 'disabled', [...rotatedOnce, disabled(3)]],
    ['disabled, registered again', 1, 1, 'reregistered', again],
    ['disabled, registered again', 3, 3, 'admitted', again],
    ['disabled, registered again, rotated', 3, 3, 'rotated', [...again, rotated(4)]],
    ['disabled, registered again, disabled', 3, 3, 'disabled', [...again, disabled(4)]],
  ])('given %s, (%i, %i): %s', (_given, registration, credential, expected, events) => {
    expect(revocationOf(fold(events as StoredEvent[]), { registration, credential }) ?? 'admitted').toBe(
      expected,
    );
  });

  it('registration is the version of the registration event, kept through rotations and disables', () => {
    expect(fold([registered(1), rotated(2)]).registration).toBe(1);
    expect(fold([registered(1), disabled(2)]).registration).toBe(1);
    expect(fold([registered(1), disabled(2), registered(3), rotated(4)]).registration).toBe(3);
  });

  it('credential is the version of the event that set the secret', () => {
    expect(fold([registered(1)]).credential).toBe(1);
    expect(fold([registered(1), rotated(2), disabled(3)]).credential).toBe(2);
    expect(fold([registered(1), rotated(2), disabled(3), registered(4)]).credential).toBe(4);
  });
});

describe('sender tokens name their registration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nexo-auth-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips the claims; a token without them (issued before they existed) is the first registration and its secret', async () => {
    const key = await loadOrCreateSigningKey(join(dir, 'token.jwk.json'));
    const tokens = createSenderTokens(key, { ttlSeconds: 900 });
    const issued = await tokens.issue(CNES, { registration: 3, credential: 5 });
    expect(decodeJwt(issued.token)).toMatchObject({ sub: CNES, cnes: CNES, registration: 3, credential: 5 });
    expect(await tokens.verify(issued.token)).toEqual({
      ok: true,
      value: token(3, 5),
      expiresAt: expect.any(Number),
    });

    const sign = (claims: Record<string, unknown>) =>
      new SignJWT({ cnes: CNES, ...claims })
        .setProtectedHeader({ alg: 'ES256', kid: key.publicJwk.kid })
        .setIssuer('nexo-auth')
        .setAudience('nexo-ingest')
        .setSubject(CNES)
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(key.privateKey);
    expect(await tokens.verify(await sign({}))).toEqual({
      ok: true,
      value: token(1),
      expiresAt: expect.any(Number),
    });
    // Issued under registration 3 before the credential claim existed: that registration's secret.
    expect(await tokens.verify(await sign({ registration: 3 }))).toEqual({
      ok: true,
      value: token(3),
      expiresAt: expect.any(Number),
    });
    for (const registration of [0, -1, 1.5, '3', null])
      expect(await tokens.verify(await sign({ registration })), String(registration)).toEqual({
        ok: false,
        reason: 'the token names no valid registration',
      });
    // A secret is set at or after the registration it belongs to.
    for (const credential of [0, 2, 1.5, '4'])
      expect(await tokens.verify(await sign({ registration: 3, credential })), String(credential)).toEqual({
        ok: false,
        reason: 'the token names no valid credential',
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
    expect(await cache.admit(token(1))).toEqual({ ok: true, value: CNES });
    advance(REGISTRATION_MAX_AGE_MS - 1);
    expect(await cache.admit(token(1))).toEqual({ ok: true, value: CNES });
    expect(reads).toEqual([CNES]);
    set(off); // another process disables it: not seen until the entry is REGISTRATION_MAX_AGE_MS old
    advance(1);
    expect(await cache.admit(token(1))).toEqual(
      revokedAs('disabled', 'token revoked: establishment disabled'),
    );
    expect(reads).toEqual([CNES, CNES]);
  });

  it('forgets at once when this process changes the registry, even while a read is under way', async () => {
    const { cache, reads, set } = harness(active);
    const slowRead = cache.admit(token(1)); // a read starts before the disable
    set(off);
    cache.forget(CNES);
    expect(await slowRead).toEqual({ ok: true, value: CNES }); // answered as of its start
    expect(await cache.admit(token(1))).toMatchObject({
      ok: false,
      revoked: 'disabled',
    });
    expect(reads).toEqual([CNES, CNES]);
  });

  it('refuses old tokens after a registration again, and reads again for a token newer than what it knows', async () => {
    const { cache, reads, set } = harness(off);
    expect(await cache.admit(token(1))).toMatchObject({ revoked: 'disabled' });
    set(again); // registered again elsewhere; a token of the new registration arrives at once
    expect(await cache.admit(token(3))).toEqual({ ok: true, value: CNES });
    expect(await cache.admit(token(1))).toEqual(
      revokedAs('reregistered', 'token revoked: establishment registered again since it was issued'),
    );
    expect(reads).toEqual([CNES, CNES]);
  });

  it('refuses tokens of a rotated secret, and reads again for a token of a rotation it has not seen', async () => {
    const { cache, reads, set } = harness(active);
    expect(await cache.admit(token(1))).toEqual({ ok: true, value: CNES });
    set(fold([registered(1), rotated(2)])); // rotated elsewhere; a token of the new secret arrives at once
    expect(await cache.admit(token(1, 2))).toEqual({ ok: true, value: CNES });
    expect(await cache.admit(token(1))).toEqual(
      revokedAs('rotated', 'token revoked: secret rotated since it was issued'),
    );
    expect(reads).toEqual([CNES, CNES]);
  });

  it('answers author look-ups from the same entries: one read per REGISTRATION_MAX_AGE_MS, at once after forget', async () => {
    const listed = fold([
      registered(1),
      stored('EstablishmentAuthorsSet', { cnes: CNES, cnpj: ['11222333000181'], cns: [] }, 2),
    ]);
    const { cache, reads, set, advance } = harness(listed);
    expect((await cache.lookUp(CNES)).authors.cnpj).toEqual(['11222333000181']);
    expect(await cache.admit(token(1))).toEqual({ ok: true, value: CNES });
    advance(REGISTRATION_MAX_AGE_MS - 1);
    expect((await cache.lookUp(CNES)).authors.cnpj).toEqual(['11222333000181']);
    expect(reads).toEqual([CNES]);
    set(active); // the list cleared by another process: seen once the entry is old enough
    advance(1);
    expect((await cache.lookUp(CNES)).authors.cnpj).toEqual([]);
    set(listed); // and set again through this process's registry, which forgets at once
    cache.forget(CNES);
    expect((await cache.lookUp(CNES)).authors.cnpj).toEqual(['11222333000181']);
    expect(reads).toEqual([CNES, CNES, CNES]);
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
    const failed = await Promise.allSettled([cache.admit(token(1)), cache.admit(token(1))]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(calls).toBe(1);
    fail = false;
    expect(await cache.admit(token(1))).toEqual({ ok: true, value: CNES });
    expect(calls).toBe(2);
  });
});
