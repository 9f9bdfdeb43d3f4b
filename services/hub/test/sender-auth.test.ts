import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectEventsMatchSchemas } from './event-schema-harness.ts';
import { SignJWT, decodeJwt, decodeProtectedHeader, generateKeyPair } from 'jose';
import { loadOrCreateSigningKey } from '@nexo/auth';
import { loadConfig } from '@nexo/runtime';
import { OTHER_SENDER, SENDER, example, riaBundle, tempDataDir } from './hub-harness.ts';
import {
  ADMIN_TOKEN,
  startSecureHub,
  startTestIssuer,
  type SecureHub,
  type TestIssuer,
} from './security-harness.ts';

type Outcome = {
  resourceType: string;
  issue: Array<{
    code: string;
    diagnostics: string;
    expression?: string[];
    details: { coding: Array<{ code: string }> };
  }>;
};
const codeOf = (body: unknown) => (body as Outcome).issue[0]?.details.coding[0]?.code;
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = 'application/x-www-form-urlencoded';

describe('sender authentication: client credentials → short-lived signed token (production mode)', () => {
  const data = tempDataDir();
  let issuer: TestIssuer;
  let hub: SecureHub;
  let secret = '';
  let otherSecret = '';
  let recordId = '';

  beforeAll(async () => {
    issuer = await startTestIssuer();
    hub = await startSecureHub(data.dir, { mode: 'production', issuer });
    secret = await hub.register(SENDER, 'UBS Centro');
    otherSecret = await hub.register(OTHER_SENDER, 'Laboratório');
  });
  afterAll(async () => {
    await hub.stop();
    await issuer.stop();
    data.remove();
  });

  const audit = async () => hub.hub.security.trail.log.read(0, 10_000);

  it('issues an ES256 token scoped to the CNES for the form grant and for HTTP Basic, never cached', async () => {
    const response = await hub.request({
      url: '/auth/token',
      body: form({ grant_type: 'client_credentials', client_id: SENDER, client_secret: secret }),
      contentType: FORM,
    });
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = response.json() as {
      access_token: string;
      token_type: string;
      expires_in: number;
      scope: string;
    };
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 900, scope: 'bundle.write bundle.read' });
    expect(decodeProtectedHeader(body.access_token)).toMatchObject({ alg: 'ES256', typ: 'JWT' });
    const claims = decodeJwt(body.access_token);
    expect(claims).toMatchObject({ iss: 'nexo-auth', aud: 'nexo-ingest', sub: SENDER, cnes: SENDER });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(900);

    const basic = await hub.request({
      url: '/auth/token',
      body: form({ grant_type: 'client_credentials' }),
      contentType: FORM,
      headers: { authorization: `Basic ${Buffer.from(`${SENDER}:${secret}`).toString('base64')}` },
    });
    expect(basic.status).toBe(200);
  });

  it('answers a wrong secret, an unknown client and another grant with OperationOutcomes, and audits each failed login', async () => {
    const attempt = (fields: Record<string, string>) =>
      hub.request({ url: '/auth/token', body: form(fields), contentType: FORM });
    const wrong = await attempt({
      grant_type: 'client_credentials',
      client_id: SENDER,
      client_secret: `${secret}x`,
    });
    const unknown = await attempt({
      grant_type: 'client_credentials',
      client_id: '7654321',
      client_secret: secret,
    });
    const grant = await attempt({ grant_type: 'password', client_id: SENDER, client_secret: secret });
    expect([wrong.status, unknown.status, grant.status]).toEqual([401, 401, 400]);
    // A form declared compressed is refused as the JSON bodies are, even when its bytes are plain.
    const compressed = await hub.request({
      url: '/auth/token',
      body: form({ grant_type: 'client_credentials', client_id: SENDER, client_secret: secret }),
      contentType: FORM,
      headers: { 'content-encoding': 'gzip' },
    });
    expect(compressed.status).toBe(415);
    expect((compressed.json() as Outcome).issue[0]?.expression).toEqual(['Content-Encoding']);
    expect(codeOf(wrong.json())).toBe('NEXO_ERR_UNAUTHENTICATED');
    // The same answer whether the CNES exists or not.
    expect(unknown.body).toBe(wrong.body);
    expect((grant.json() as Outcome).issue[0]?.expression).toEqual(['grant_type']);
    const failures = (await audit()).filter((e) => e.action === 'POST /auth/token' && e.outcome === 'denied');
    expect(failures.map((e) => [e.actor.id, e.status, e.reason])).toEqual([
      [SENDER, 401, 'invalid client credentials'],
      ['7654321', 401, 'invalid client credentials'],
      ['-', 400, 'unsupported grant type'],
      ['-', 415, 'NEXO_ERR_MEDIA_TYPE'],
    ]);
  });

  it('accepts the token in Authorization and in X-Authorization-Server (national network software)', async () => {
    const token = await hub.senderToken(SENDER, secret);
    const first = await hub.request({ url: '/fhir/r4/Bundle', token, body: example('ria-r') });
    expect(first.status).toBe(201);
    recordId = String(first.headers.location).split('/').at(-1) ?? '';
    const again = await hub.request({
      url: '/api/fhir/r4/Bundle',
      token,
      header: 'x-authorization-server',
      body: example('ria-r'),
    });
    expect(again.status).toBe(201);
    expect(String(again.headers.location).split('/').at(-1)).toBe(recordId);
    const read = await hub.request({ url: `/fhir/r4/Bundle/${recordId}`, token });
    expect(read.status).toBe(200);
    expect(read.json()).toMatchObject({ resourceType: 'Bundle', id: recordId });
    const entry = (await audit()).find((e) => e.resource === `/fhir/r4/Bundle/${recordId}`);
    expect(entry).toMatchObject({
      action: 'GET /fhir/r4/Bundle/:id',
      actor: { kind: 'establishment', id: SENDER },
      origin: { establishment: SENDER },
      outcome: 'allowed',
      status: 200,
    });
  });

  it('refuses development, forged, foreign and expired tokens with 401 and WWW-Authenticate, and audits why', async () => {
    const key = await loadOrCreateSigningKey(loadConfig({ NEXO_DATA_DIR: data.dir }).security.tokenKeyFile);
    const sign = (claims: Record<string, unknown>, exp: number | string, signer = key.privateKey) =>
      new SignJWT({ cnes: SENDER, ...claims })
        .setProtectedHeader({ alg: 'ES256', kid: key.publicJwk.kid })
        .setIssuer('nexo-auth')
        .setAudience('nexo-ingest')
        .setSubject(SENDER)
        .setIssuedAt(Math.floor(Date.now() / 1000) - 3600)
        .setExpirationTime(exp)
        .sign(signer);
    const stranger = (await generateKeyPair('ES256')).privateKey;
    const cases: Array<[string, string, string]> = [
      ['development token', `dev-establishment-${SENDER}`, 'development token outside development mode'],
      ['token of another key', await sign({}, '5m', stranger), 'token not signed by a trusted key'],
      ['expired token', await sign({}, Math.floor(Date.now() / 1000) - 120), 'expired token'],
      [
        'unsigned token',
        `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(`{"sub":"${SENDER}"}`).toString('base64url')}.`,
        'token algorithm not allowed',
      ],
      ['citizen token', await issuer.token({ sub: '93273918454' }), 'token not signed by a trusted key'],
    ];
    for (const [name, token, reason] of cases) {
      const response = await hub.request({ url: `/fhir/r4/Bundle/${recordId}`, token });
      expect(response.status, name).toBe(401);
      expect(response.headers['www-authenticate'], name).toBe('Bearer realm="nexo", error="invalid_token"');
      expect(codeOf(response.json()), name).toBe(
        name === 'expired token' ? 'NEXO_ERR_TOKEN_EXPIRED' : 'NEXO_ERR_UNAUTHENTICATED',
      );
      const last = (await audit()).at(-1);
      expect(last, name).toMatchObject({
        outcome: 'denied',
        status: 401,
        reason,
        actor: { kind: 'anonymous' },
      });
    }
    const expired = await hub.request({
      url: '/fhir/r4/Bundle',
      token: cases[2]![1],
      body: example('ria-r'),
    });
    expect((expired.json() as Outcome).issue[0]?.diagnostics).toMatch(/^\(EHR-ERR882\) .*has expired/);
    const forged = await hub.request({ url: '/fhir/r4/Bundle', token: cases[1]![1], body: example('ria-r') });
    expect((forged.json() as Outcome).issue[0]?.diagnostics).not.toContain('ERR882');
    const none = await hub.request({ url: '/establishment/v1/submissions' });
    expect(none.headers['www-authenticate']).toBe('Bearer realm="nexo"');
  });

  it('lets a sender submit, read and correct only as itself: 403 for another author, 404 for another sender’s record', async () => {
    const other = await hub.senderToken(OTHER_SENDER, otherSecret);
    const asOther = await hub.request({ url: '/fhir/r4/Bundle', token: other, body: example('ria-r') });
    expect(asOther.status).toBe(403);
    expect(codeOf(asOther.json())).toBe('NEXO_ERR_FORBIDDEN');
    const replace = await hub.request({
      url: '/fhir/r4/Bundle',
      token: other,
      body: riaBundle({ author: OTHER_SENDER, lot: 'X1', replaces: recordId }),
    });
    expect(replace.status).toBe(403);
    const read = await hub.request({ url: `/fhir/r4/Bundle/${recordId}`, token: other });
    expect(read.status).toBe(404);
    const missing = await hub.request({ url: '/fhir/r4/Bundle/no-such-record', token: other });
    expect(missing.body.replace('no-such-record', recordId)).toBe(read.body);
    const entries = (await audit()).filter(
      (e) => e.actor.id === OTHER_SENDER && e.action !== 'POST /auth/token',
    );
    // A refusal no route explained carries the code it was answered with.
    expect(entries.map((e) => [e.action, e.status, e.reason ?? '', e.origin.establishment])).toEqual([
      ['POST /fhir/r4/Bundle', 403, 'NEXO_ERR_FORBIDDEN', OTHER_SENDER],
      ['POST /fhir/r4/Bundle', 403, 'NEXO_ERR_FORBIDDEN', OTHER_SENDER],
      ['GET /fhir/r4/Bundle/:id', 404, 'record of another establishment', OTHER_SENDER],
      ['GET /fhir/r4/Bundle/:id', 404, 'NEXO_ERR_NOT_FOUND', OTHER_SENDER],
    ]);
  });

  it('retires a rotated secret and refuses a disabled establishment; admin routes need the admin token', async () => {
    const rotated = await hub.request({
      url: `/admin/v1/establishments/${OTHER_SENDER}/secret`,
      token: ADMIN_TOKEN,
      body: {},
    });
    expect(rotated.status).toBe(200);
    const fresh = (rotated.json() as { clientSecret: string }).clientSecret;
    await expect(hub.senderToken(OTHER_SENDER, otherSecret)).rejects.toThrow(/401/);
    await hub.senderToken(OTHER_SENDER, fresh);
    const disabled = await hub.request({
      url: `/admin/v1/establishments/${OTHER_SENDER}/disable`,
      token: ADMIN_TOKEN,
      body: { reason: 'closed' },
    });
    expect(disabled.status).toBe(200);
    await expect(hub.senderToken(OTHER_SENDER, fresh)).rejects.toThrow(/401/);
    const again = await hub.request({
      url: '/admin/v1/establishments',
      token: ADMIN_TOKEN,
      body: { cnes: SENDER, name: 'x' },
    });
    expect([again.status, codeOf(again.json())]).toEqual([409, 'NEXO_ERR_ESTABLISHMENT_EXISTS']);
    const token = await hub.senderToken(SENDER, secret);
    for (const bearer of [undefined, 'wrong-admin-token', token]) {
      const response = await hub.request({
        url: '/admin/v1/establishments',
        token: bearer,
        body: { cnes: '7654321', name: 'x' },
      });
      expect(response.status).toBe(401);
    }
    const events = (await hub.hub.engines.store.readAll(0, 100)).filter((e) =>
      e.type.startsWith('Establishment'),
    );
    expect(events.map((e) => [e.type, e.sender])).toEqual([
      ['EstablishmentRegistered', 'admin:api'],
      ['EstablishmentRegistered', 'admin:api'],
      ['EstablishmentSecretRotated', 'admin:api'],
      ['EstablishmentDisabled', 'admin:api'],
    ]);
    expect(JSON.stringify(events)).not.toContain(secret);
    expectEventsMatchSchemas(events);
  });

  it('refuses an admin body with an unknown field or a wrong type, naming the field, and registers nothing', async () => {
    const register = (body: Record<string, unknown>) =>
      hub.request({ url: '/admin/v1/establishments', token: ADMIN_TOKEN, body });
    const issueOf = (response: Awaited<ReturnType<typeof register>>) => {
      const issue = (response.json() as { issue: Array<{ expression?: string[] }> }).issue[0];
      return [response.status, codeOf(response.json()), issue?.expression];
    };
    expect(issueOf(await register({ cnes: '9990099', name: 'UBS X', cnpjs: ['x'] }))).toEqual([
      422,
      'NEXO_ERR_VALIDATION_STRUCTURE',
      ['cnpjs'],
    ]);
    expect(issueOf(await register({ cnes: '9990099', name: 5 }))).toEqual([
      422,
      'NEXO_ERR_VALIDATION_STRUCTURE',
      ['name'],
    ]);
    expect(issueOf(await register({ cnes: '9990099' }))).toEqual([
      422,
      'NEXO_ERR_VALIDATION_REQUIRED',
      ['name'],
    ]);
    const badCnes = await register({ cnes: '99900', name: 'UBS X' });
    expect(issueOf(badCnes)).toEqual([422, 'NEXO_ERR_VALIDATION_IDENTIFIER', ['cnes']]);
    expect((badCnes.json() as { issue: Array<{ diagnostics: string }> }).issue[0]?.diagnostics).toMatch(
      /exactly 7 digits \(a CNES has no check digit\)/,
    );
    const disable = await hub.request({
      url: `/admin/v1/establishments/${SENDER}/disable`,
      token: ADMIN_TOKEN,
      body: { reason: 'closed', why: 'typo' },
    });
    expect(issueOf(disable)).toEqual([422, 'NEXO_ERR_VALIDATION_STRUCTURE', ['why']]);
    const registered = await hub.request({ url: '/admin/v1/establishments/9990099', token: ADMIN_TOKEN });
    expect(registered.status).toBe(404);
  });

  it('keeps an intact audit chain', async () => {
    expect(await hub.hub.security.trail.log.verify()).toMatchObject({ ok: true });
  });
});
