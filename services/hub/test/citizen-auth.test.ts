import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { example, riaBundle, tempDataDir } from './hub-harness.ts';
import { startSecureHub, startTestIssuer, type SecureHub, type TestIssuer } from './security-harness.ts';

const PHARMACY = '9990033';
const CITIZEN_CPF = '93273918454'; // the subject of the national RDM example
const OTHER_CPF = '40645484180';
type Outcome = { issue: Array<{ diagnostics: string; details: { coding: Array<{ code: string }> } }> };

/** Submits the RDM example (citizen CPF 93273918454) and a RIA about another CPF. */
const seed = async (hub: SecureHub) => {
  const pharmacy = await hub.senderToken(PHARMACY, await hub.register(PHARMACY, 'Farmácia'));
  const ubs = await hub.senderToken('9990011', await hub.register('9990011', 'UBS'));
  expect((await hub.request({ url: '/fhir/r4/Bundle', token: pharmacy, body: example('rdm') })).status).toBe(
    201,
  );
  const other = riaBundle({ cns: OTHER_CPF, identifier: 'ria-other-citizen' });
  expect((await hub.request({ url: '/fhir/r4/Bundle', token: ubs, body: other })).status).toBe(201);
  await hub.hub.projector.caughtUp();
};

describe('citizen authentication with an OIDC issuer (production mode)', () => {
  const data = tempDataDir();
  let issuer: TestIssuer;
  let hub: SecureHub;
  beforeAll(async () => {
    issuer = await startTestIssuer();
    hub = await startSecureHub(data.dir, { mode: 'production', issuer });
    await seed(hub);
  });
  afterAll(async () => {
    await hub.stop();
    await issuer.stop();
    data.remove();
  });

  it('lets a citizen read only their own data, whatever the query or headers name', async () => {
    const mine = await hub.request({
      url: '/citizen/v1/me/dispensations',
      token: await issuer.token({ sub: CITIZEN_CPF }),
    });
    expect(mine.status).toBe(200);
    const dispensed = (
      mine.json() as { dispensations: Array<{ pharmacy: string; establishmentName?: string }> }
    ).dispensations;
    // who sent it, by the name the pharmacy registered under: the one to ask for a correction
    expect(dispensed).toEqual([
      expect.objectContaining({ pharmacy: PHARMACY, establishmentName: 'Farmácia' }),
    ]);
    const other = await issuer.token({ sub: OTHER_CPF });
    const theirs = await hub.request({
      url: `/citizen/v1/me/dispensations?cpf=${CITIZEN_CPF}&subject=${CITIZEN_CPF}`,
      token: other,
      headers: { 'x-citizen': CITIZEN_CPF },
    });
    expect(theirs.json()).toEqual({ dispensations: [] });
    const card = await hub.request({ url: '/citizen/v1/me/immunizations', token: other });
    expect((card.json() as { immunizations: unknown[] }).immunizations).toHaveLength(1);
  });

  it('refuses tokens of another issuer, audience or key, expired ones and subjects that are not a CPF; audits each', async () => {
    // Obtained before the first case: its POST /auth/token, still in flight, wrote its own audit
    // entry after a case's refusal now and then, and that case then read it as its last entry.
    const senderToken = await hub.senderToken('1234567', await hub.register('1234567'));
    const cases: Array<[string, Promise<string> | string, string]> = [
      ['no token', '', 'no bearer token'],
      ['development token', `dev-citizen-cpf-${CITIZEN_CPF}`, 'development token outside development mode'],
      [
        'another audience',
        issuer.token({ sub: CITIZEN_CPF, aud: 'another-api' }),
        'token claim aud rejected',
      ],
      [
        'another issuer',
        issuer.token({ sub: CITIZEN_CPF, iss: 'https://evil.example' }),
        'token claim iss rejected',
      ],
      [
        'expired',
        issuer.token({ sub: CITIZEN_CPF, expiresIn: Math.floor(Date.now() / 1000) - 120 }),
        'expired token',
      ],
      ['a CNS subject', issuer.token({ sub: '266764941990004' }), 'token subject is not a CPF'],
      ['a sender token', senderToken, 'token not signed by a trusted key'],
    ];
    for (const [name, pending, reason] of cases) {
      const token = await pending;
      const response = await hub.request({
        url: '/citizen/v1/me/dispensations',
        ...(token ? { token } : {}),
      });
      expect(response.status, name).toBe(401);
      // Only an expired token carries the national network's ERR882 (get a new token).
      const issue = (response.json() as Outcome).issue[0];
      expect([issue?.details.coding[0]?.code, issue?.diagnostics.startsWith('(EHR-ERR882)')], name).toEqual(
        name === 'expired' ? ['NEXO_ERR_TOKEN_EXPIRED', true] : ['NEXO_ERR_UNAUTHENTICATED', false],
      );
      expect(response.body, name).not.toContain(CITIZEN_CPF);
      const last = (await hub.hub.security.trail.log.read(0, 10_000)).at(-1);
      expect(last, name).toMatchObject({
        action: 'GET /citizen/v1/me/dispensations',
        outcome: 'denied',
        reason,
      });
    }
  });

  it('audits every citizen read under a keyed pseudonym of the CPF, never the number', async () => {
    const entries = await hub.hub.security.trail.log.read(0, 10_000);
    const reads = entries.filter((e) => e.actor.kind === 'citizen');
    expect(reads.map((e) => [e.action, e.status])).toEqual([
      ['GET /citizen/v1/me/dispensations', 200],
      ['GET /citizen/v1/me/dispensations', 200],
      ['GET /citizen/v1/me/immunizations', 200],
    ]);
    expect(reads[0]?.actor.id).toBe(hub.hub.security.trail.pseudonym('CPF', CITIZEN_CPF));
    expect(reads[1]?.actor.id).not.toBe(reads[0]?.actor.id);
    expect(JSON.stringify(entries)).not.toMatch(new RegExp(`${CITIZEN_CPF}|${OTHER_CPF}|266764941990004`));
    expect(await hub.hub.security.trail.log.verify()).toMatchObject({ ok: true, entries: entries.length });
  });

  it('has no development issuer outside development mode', async () => {
    const login = await hub.request({ url: '/dev-issuer/login', body: { cpf: CITIZEN_CPF } });
    expect(login.status).toBe(404);
  });
});

describe('the development issuer (development mode)', () => {
  const data = tempDataDir();
  let hub: SecureHub;
  beforeAll(async () => {
    hub = await startSecureHub(data.dir, { mode: 'development' });
    await seed(hub);
  });
  afterAll(async () => {
    await hub.stop();
    data.remove();
  });

  it('logs a citizen in by CPF and the token reads their data; the key survives a restart', async () => {
    const login = await hub.request({ url: '/dev-issuer/login', body: { cpf: CITIZEN_CPF } });
    expect(login.status).toBe(200);
    const { access_token: token } = login.json() as { access_token: string };
    expect(decodeJwt(token)).toMatchObject({
      iss: 'http://localhost:8080/dev-issuer',
      aud: 'nexo-citizen-api',
      sub: CITIZEN_CPF,
    });
    const read = await hub.request({ url: '/citizen/v1/me/dispensations', token });
    expect((read.json() as { dispensations: unknown[] }).dispensations).toHaveLength(1);
    const jwks = (await hub.request({ url: '/dev-issuer/.well-known/jwks.json' })).json() as {
      keys: Array<{ kid: string }>;
    };
    const discovery = (await hub.request({ url: '/dev-issuer/.well-known/openid-configuration' })).json();
    expect(discovery).toMatchObject({
      issuer: 'http://localhost:8080/dev-issuer',
      id_token_signing_alg_values_supported: ['ES256'],
    });

    await hub.stop();
    hub = await startSecureHub(data.dir, { mode: 'development' });
    const after = await hub.request({ url: '/citizen/v1/me/dispensations', token });
    expect(after.status).toBe(200);
    const again = (await hub.request({ url: '/dev-issuer/.well-known/jwks.json' })).json() as {
      keys: Array<{ kid: string }>;
    };
    expect(again.keys[0]?.kid).toBe(jwks.keys[0]?.kid);
  });

  it('keeps the development tokens in development mode, and refuses a login with an invalid CPF (audited)', async () => {
    const dev = await hub.request({
      url: '/citizen/v1/me/dispensations',
      token: `dev-citizen-cpf-${CITIZEN_CPF}`,
    });
    expect((dev.json() as { dispensations: unknown[] }).dispensations).toHaveLength(1);
    const bad = await hub.request({ url: '/dev-issuer/login', body: { cpf: '93273918455' } });
    expect(bad.status).toBe(422);
    const last = (await hub.hub.security.trail.log.read(0, 10_000)).at(-1);
    expect(last).toMatchObject({ action: 'POST /dev-issuer/login', outcome: 'denied', status: 422 });
  });
});
