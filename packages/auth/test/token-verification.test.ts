import { KeyObject, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  SignJWT,
  UnsecuredJWT,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  type CryptoKey,
  type JWTPayload,
} from 'jose';
import { createCitizenTokenVerifier } from '../src/index.ts';

const ISSUER = 'https://idp.example';
const AUDIENCE = 'nexo-citizen-api';
const CPF = '93273918454';
const now = () => Math.floor(Date.now() / 1000);

/** An issuer with one key of each kind a citizen token may be signed with. */
const issuerKeys = async () => {
  const pairs = await Promise.all(
    (['ES256', 'RS256', 'PS256', 'EdDSA'] as const).map(async (alg) => {
      const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
      return { alg, kid: `key-${alg}`, privateKey, publicKey };
    }),
  );
  const jwks = {
    keys: await Promise.all(
      pairs.map(async ({ alg, kid, publicKey }) => ({ ...(await exportJWK(publicKey)), kid, alg })),
    ),
  };
  const signWith = (
    alg: (typeof pairs)[number]['alg'],
    claims: Record<string, unknown>,
    header: object = {},
  ) => {
    const pair = pairs.find((p) => p.alg === alg) as (typeof pairs)[number];
    return new SignJWT(claims).setProtectedHeader({ alg, kid: pair.kid, ...header }).sign(pair.privateKey);
  };
  return { jwks, signWith, es256: pairs[0]?.privateKey as CryptoKey };
};

const valid = (): JWTPayload => ({ iss: ISSUER, aud: AUDIENCE, sub: CPF, exp: now() + 300 });

const without = (claim: string): JWTPayload => {
  const claims = valid();
  delete claims[claim];
  return claims;
};

describe('a citizen token is accepted only whole: signed by the issuer, for this audience, in date', async () => {
  const { jwks, signWith, es256 } = await issuerKeys();
  const verify = createCitizenTokenVerifier([
    { issuer: ISSUER, audience: AUDIENCE, keys: createLocalJWKSet(jwks) },
  ]);

  it.each(['ES256', 'RS256', 'PS256', 'EdDSA'] as const)('accepts a token signed with %s', async (alg) => {
    expect(await verify(await signWith(alg, valid()))).toMatchObject({
      ok: true,
      value: { kind: 'CPF', number: CPF },
    });
  });

  it('accepts an expiry up to 30 s past (clock skew) and refuses one beyond', async () => {
    expect(await verify(await signWith('ES256', { ...valid(), exp: now() - 20 }))).toMatchObject({
      ok: true,
    });
    expect(await verify(await signWith('ES256', { ...valid(), exp: now() - 40 }))).toEqual({
      ok: false,
      reason: 'expired token',
      expired: true,
    });
  });

  it.each([
    ['no issuer', without('iss'), 'token claim iss rejected'],
    ['another issuer', { ...valid(), iss: 'https://evil.example' }, 'token claim iss rejected'],
    ['no audience', without('aud'), 'token claim aud rejected'],
    ['another audience', { ...valid(), aud: ['another-api'] }, 'token claim aud rejected'],
    ['no subject', without('sub'), 'token claim sub rejected'],
    ['no expiry', without('exp'), 'token claim exp rejected'],
    ['an expiry that is not a number', { ...valid(), exp: 'tomorrow' }, 'token claim exp rejected'],
    ['a start (nbf) a minute ahead', { ...valid(), nbf: now() + 60 }, 'token claim nbf rejected'],
    ['a subject that is not a CPF', { ...valid(), sub: '266764941990004' }, 'token subject is not a CPF'],
  ])('refuses %s', async (_name, claims, reason) => {
    expect(await verify(await signWith('ES256', claims))).toEqual({ ok: false, reason });
  });

  it('refuses a token whose payload was changed after signing', async () => {
    const [header, , signature] = (await signWith('ES256', valid())).split('.');
    const forged = Buffer.from(JSON.stringify({ ...valid(), sub: '52998224725' })).toString('base64url');
    expect(await verify(`${header}.${forged}.${signature}`)).toEqual({
      ok: false,
      reason: 'token not signed by a trusted key',
    });
  });

  it('refuses a token signed by a key the issuer does not publish, under a kid it does', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const token = await new SignJWT(valid())
      .setProtectedHeader({ alg: 'ES256', kid: 'key-ES256' })
      .sign(privateKey);
    expect(await verify(token)).toEqual({ ok: false, reason: 'token not signed by a trusted key' });
  });

  it('refuses an unsigned token (alg none) and one that names the algorithm of another key', async () => {
    expect(await verify(new UnsecuredJWT(valid()).encode())).toEqual({
      ok: false,
      reason: 'token algorithm not allowed',
    });
    const relabelled = await new SignJWT(valid())
      .setProtectedHeader({ alg: 'ES256', kid: 'key-RS256' })
      .sign(es256);
    expect(await verify(relabelled)).toMatchObject({
      ok: false,
      reason: 'token not signed by a trusted key',
    });
  });

  it('refuses a critical header extension it does not understand', async () => {
    // jose will not sign such a header, so it is signed here as any other JWS signer would.
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const input = `${part({ alg: 'ES256', kid: 'key-ES256', crit: ['ext'], ext: 1 })}.${part(valid())}`;
    const signature = sign('sha256', Buffer.from(input), {
      key: KeyObject.from(es256),
      dsaEncoding: 'ieee-p1363',
    }).toString('base64url');
    const token = `${input}.${signature}`;
    expect(await verify(token)).toEqual({ ok: false, reason: 'token uses an unsupported feature' });
  });

  it.each([
    ['not a JWT', 'abc'],
    ['three parts that are not base64url JSON', 'a.b.c'],
    ['a header that is not an object', `${Buffer.from('"x"').toString('base64url')}.e30.c2ln`],
    ['an empty string', ''],
  ])(
    'answers a malformed token (%s) as malformed, never as the issuer being unavailable',
    async (_name, token) => {
      expect(await verify(token)).toEqual({ ok: false, reason: 'malformed token' });
    },
  );
});
