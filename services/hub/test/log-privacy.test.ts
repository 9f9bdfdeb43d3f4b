import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGISTRY_TOKEN, example, riaBundle, tempDataDir } from './hub-harness.ts';
import { startSecureHub, startTestIssuer, type SecureHub, type TestIssuer } from './security-harness.ts';

const CNS = '266764941990004';
const CPF = '93273918454';
const LAB_CNS = '998396937874850';
const OTHER_CPF = '40645484180';
const NAME = 'Maria Aparecida Quitéria';
const LINKED_CNS = '898001160660000';

/**
 * Every flow a log line could leak from — token requests, submissions of the three national
 * models, resends, rejections, replacement and cancellation, reads by sender and citizen, denied
 * attempts, the identity feed with a name — at the most verbose level; then not one line may
 * hold a CPF, a CNS, a name or a secret.
 */
describe('no CPF, CNS, name or secret in any log line', () => {
  const data = tempDataDir();
  let issuer: TestIssuer;
  let hub: SecureHub;
  const secrets: string[] = [];
  const tokens: string[] = [];

  beforeAll(async () => {
    issuer = await startTestIssuer();
    hub = await startSecureHub(data.dir, { mode: 'production', issuer, env: { LOG_LEVEL: 'trace' } });
  });
  afterAll(async () => {
    await hub.stop();
    await issuer.stop();
    data.remove();
  });

  it('holds across the end-to-end flows', async () => {
    const senders: Record<string, string> = {};
    for (const cnes of ['9990011', '9990022', '9990033']) {
      const secret = await hub.register(cnes);
      secrets.push(secret);
      senders[cnes] = await hub.senderToken(cnes, secret);
      tokens.push(senders[cnes]!);
    }
    const wrong = await hub.request({
      url: '/auth/token',
      body: `grant_type=client_credentials&client_id=9990011&client_secret=${secrets[0]}x`,
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(wrong.status).toBe(401);
    const post = (cnes: string, body: unknown) =>
      hub.request({ url: '/fhir/r4/Bundle', token: senders[cnes]!, body });
    const first = await post('9990011', example('ria-r'));
    const recordId = String(first.headers.location).split('/').at(-1) ?? '';
    expect((await post('9990011', example('ria-r'))).status).toBe(201);
    expect((await post('9990022', example('rel-qualitativo'))).status).toBe(201);
    expect((await post('9990033', example('rdm'))).status).toBe(201);
    expect((await post('9990011', riaBundle({ identifier: 'bad', cns: '266764941990005' }))).status).toBe(
      422,
    );
    expect(
      (await post('9990011', riaBundle({ identifier: 'x', cns: OTHER_CPF, author: '9990022' }))).status,
    ).toBe(403);
    const replaced = await post('9990011', riaBundle({ lot: 'LOT2', replaces: recordId }));
    expect(replaced.status).toBe(201);
    const newId = String(replaced.headers.location).split('/').at(-1) ?? '';
    expect(
      (await post('9990011', riaBundle({ lot: 'LOT2', replaces: newId, status: 'entered-in-error' }))).status,
    ).toBe(201);
    expect(
      (await hub.request({ url: `/fhir/r4/Bundle/${recordId}`, token: senders['9990011']! })).status,
    ).toBe(200);
    expect(
      (await hub.request({ url: `/fhir/r4/Bundle/${recordId}`, token: senders['9990022']! })).status,
    ).toBe(404);
    await hub.request({ url: '/establishment/v1/rejections', token: senders['9990011']! });

    const feed = (url: string, body: unknown) =>
      hub.request({ url, token: REGISTRY_TOKEN, body, contentType: 'application/json' });
    const cns = (value: string) => ({ system: 'https://saude.gov.br/sid/cns', value });
    const cpf = (value: string) => ({ system: 'https://saude.gov.br/sid/cpf', value });
    const person = await feed('/identity/v1/persons', { identifiers: [cns(CNS), cpf(CPF)], name: NAME });
    expect(person.status).toBeLessThan(300);
    await hub.hub.projector.caughtUp();
    const personId = (person.json() as { personId: string }).personId;
    await feed(`/identity/v1/persons/${personId}/identifiers`, { identifiers: [cns(LINKED_CNS)] });
    await hub.request({ url: `/identity/v1/persons/${personId}`, token: REGISTRY_TOKEN });
    await hub.hub.projector.caughtUp();

    const citizen = await issuer.token({ sub: CPF });
    tokens.push(citizen);
    for (const path of ['', '/immunizations', '/lab-results', '/dispensations', '/timeline']) {
      const response = await hub.request({ url: `/citizen/v1/me${path}?cpf=${CPF}`, token: citizen });
      expect(response.status, path).toBe(200);
    }
    await hub.request({ url: '/citizen/v1/me', token: await issuer.token({ sub: CPF, aud: 'x' }) });
    await hub.request({ url: '/citizen/v1/me', token: `dev-citizen-cpf-${CPF}` });

    const text = hub.logLines.join('\n');
    expect(hub.logLines.length).toBeGreaterThan(40);
    for (const forbidden of [
      CNS,
      CPF,
      LAB_CNS,
      OTHER_CPF,
      LINKED_CNS,
      '266764941990005',
      NAME,
      'Quitéria',
      ...secrets,
    ])
      expect(text, forbidden).not.toContain(forbidden);
    for (const token of tokens) expect(text).not.toContain(token.split('.')[2]);
    expect(text).not.toContain('INF25B031');
  });
});
