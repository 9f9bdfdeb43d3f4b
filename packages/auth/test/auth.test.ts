import { describe, expect, it } from 'vitest';
import { SignJWT, createRemoteJWKSet, generateKeyPair } from 'jose';
import type { StoredEvent } from '@nexo/eventstore';
import {
  UNMATCHABLE_HASH,
  createCitizenTokenVerifier,
  decideEstablishment,
  evolveEstablishment,
  generateSecret,
  hashSecret,
  initialEstablishmentState,
  isAudited,
  verifySecret,
  type EstablishmentCommand,
} from '../src/index.ts';
import { storedEstablishmentEvent } from './stored-establishment-event.ts';

describe('client secrets', () => {
  it('are stored as salted scrypt hashes and compared in constant time', async () => {
    const secret = generateSecret();
    expect(secret).toMatch(/^[\w-]{43}$/);
    const hash = await hashSecret(secret);
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(hash).not.toContain(secret);
    expect(await hashSecret(secret)).not.toBe(hash);
    expect(await verifySecret(secret, hash)).toBe(true);
    expect(await verifySecret(`${secret}x`, hash)).toBe(false);
    expect(await verifySecret('', hash)).toBe(false);
    expect(await verifySecret(secret, UNMATCHABLE_HASH)).toBe(false);
    expect(await verifySecret(secret, 'md5$abc')).toBe(false);
  });
});

const stored = (type: string, data: unknown, version: number): StoredEvent =>
  storedEstablishmentEvent('9990011', type, data, version);

describe('the establishment registry: given these events, when this command, then', () => {
  const registered = stored('EstablishmentRegistered', { cnes: '9990011', name: 'UBS', secretHash: 'h1' }, 1);
  const rotated = stored('EstablishmentSecretRotated', { cnes: '9990011', secretHash: 'h2' }, 2);
  const disabled = stored('EstablishmentDisabled', { cnes: '9990011', reason: 'closed' }, 3);
  const register: EstablishmentCommand = { kind: 'register', cnes: '9990011', name: 'UBS', secretHash: 'h3' };
  const rotate: EstablishmentCommand = { kind: 'rotate', cnes: '9990011', secretHash: 'h3' };
  const disable: EstablishmentCommand = { kind: 'disable', cnes: '9990011', reason: 'x' };

  it.each([
    ['nothing', [], register, 'EstablishmentRegistered'],
    ['registered', [registered], register, 'NEXO_ERR_ESTABLISHMENT_EXISTS'],
    ['registered', [registered], rotate, 'EstablishmentSecretRotated'],
    ['registered', [registered], disable, 'EstablishmentDisabled'],
    ['nothing', [], rotate, 'NEXO_ERR_NOT_FOUND'],
    ['disabled', [registered, disabled], rotate, 'NEXO_ERR_NOT_FOUND'],
    ['disabled', [registered, rotated, disabled], register, 'EstablishmentRegistered'],
  ])('given %s, %o', (_given, events, command, expected) => {
    const state = (events as StoredEvent[]).reduce(evolveEstablishment, initialEstablishmentState());
    const decision = decideEstablishment(command, state);
    expect(decision.ok ? decision.type : decision.problem.code).toBe(expected);
  });

  it('folds to the current secret and activity (events without author identities: CNES only)', () => {
    const fold = (events: StoredEvent[]) => events.reduce(evolveEstablishment, initialEstablishmentState());
    expect(fold([registered, rotated])).toEqual({
      version: 2,
      cnes: '9990011',
      name: 'UBS',
      secretHash: 'h2',
      active: true,
      registration: 1,
      credential: 2,
      authors: { cnpj: [], cns: [] },
    });
    expect(fold([registered, rotated, disabled])).toMatchObject({ version: 3, active: false });
  });
});

describe('citizen token verification', () => {
  it('answers "issuer keys unavailable" (a 503, not a 401) when the JWKS cannot be fetched', async () => {
    const verify = createCitizenTokenVerifier([
      {
        issuer: 'https://idp.example',
        audience: 'nexo-citizen-api',
        keys: createRemoteJWKSet(new URL('http://127.0.0.1:9/jwks.json'), { timeoutDuration: 500 }),
      },
    ]);
    const { privateKey } = await generateKeyPair('ES256');
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer('https://idp.example')
      .setAudience('nexo-citizen-api')
      .setSubject('93273918454')
      .setExpirationTime('5m')
      .sign(privateKey);
    expect(await verify(token)).toMatchObject({ ok: false, unavailable: true });
  });

  it('refuses shared-secret (HS256) tokens whatever they claim', async () => {
    const verify = createCitizenTokenVerifier([
      { issuer: 'i', audience: 'a', keys: async () => new TextEncoder().encode('k'.repeat(32)) },
    ]);
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('i')
      .setAudience('a')
      .setSubject('93273918454')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('k'.repeat(32)));
    expect(await verify(token)).toMatchObject({ ok: false, reason: 'token algorithm not allowed' });
  });
});

describe('what the audit trail records', () => {
  it.each([
    ['/citizen/v1/me/immunizations', 200, true],
    ['/citizen/v1/me/correction-requests/:protocol/confirm', 409, true],
    ['/fhir/r4/Bundle/:id', 404, true],
    ['/api/fhir/r4/Bundle/:id', 200, true],
    ['/fhir/r4/Bundle/:id', 406, true],
    ['/auth/token', 200, true],
    ['/auth/token', 429, false],
    ['/fhir/r4/Bundle', 403, true],
    ['/fhir/r4/Bundle', 401, true],
    ['/fhir/r4/Bundle', 201, false],
    ['/fhir/r4/Bundle', 422, false],
    ['/establishment/v1/submissions', 200, false],
    ['/fhir/r4/metadata', 200, false],
    ['/establishment/v1/correction-requests/:protocol', 200, true],
    // an answer is a call on a citizen's request, allowed or refused
    ['/establishment/v1/correction-requests/:protocol/answer', 200, true],
    ['/establishment/v1/correction-requests/:protocol/answer', 404, true],
    ['/establishment/v1/correction-requests/:protocol/answer', 409, true],
    ['/public/v1/certificates/verify/*', 200, true],
    ['/identity/v1/persons/:personId', 200, true],
    // the identity feed's writes decide who reads whose records
    ['/identity/v1/persons', 201, true],
    ['/identity/v1/persons', 422, true],
    ['/identity/v1/persons/:personId/identifiers', 409, true],
    ['/identity/v1/persons/:personId/merge', 200, true],
    [undefined, 404, false],
    [undefined, 400, false],
    [undefined, 401, true],
  ])('%s → %i: %s', (route, status, audited) => {
    expect(isAudited(route, status)).toBe(audited);
  });
});
