import { beforeAll, describe, expect, it } from 'vitest';
import {
  CITIZEN_CNS,
  OTHER_SENDER,
  REGISTRY_TOKEN,
  SENDER,
  citizenToken,
  hubPerSuite,
  recordIdOf,
  riaBundle,
} from './hub-harness.ts';

describe('answers with a citizen’s data stay out of caches', () => {
  const hub = hubPerSuite();
  let protocol = '';
  let recordId = '';
  const call = (url: string, token?: string, body?: unknown) =>
    hub().hub.app.inject({
      method: body === undefined ? 'GET' : 'POST',
      url,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });

  beforeAll(async () => {
    const sent = await hub().post(
      '/fhir/r4/Bundle',
      riaBundle({ identifier: 'no-store-1', cns: CITIZEN_CNS }),
    );
    expect(sent.status).toBe(201);
    recordId = recordIdOf(sent);
    await hub().hub.projector.caughtUp();
    const opened = await call('/citizen/v1/me/correction-requests', citizenToken(), {
      recordId,
      message: 'The lot is wrong.',
    });
    expect(opened.statusCode).toBe(201);
    expect(opened.headers['cache-control']).toBe('no-store');
    protocol = opened.json<{ protocol: string }>().protocol;
    await hub().hub.projector.caughtUp();
  });

  it('says Cache-Control: no-store on every citizen route, refusals included', async () => {
    const answers: Array<[string, number, unknown]> = [];
    for (const [url, token] of [
      ['/citizen/v1/me', citizenToken()],
      ['/citizen/v1/me/immunizations', citizenToken()],
      ['/citizen/v1/me/lab-results', citizenToken()],
      ['/citizen/v1/me/dispensations', citizenToken()],
      ['/citizen/v1/me/timeline', citizenToken()],
      ['/citizen/v1/me/timeline?limit=0', citizenToken()],
      ['/citizen/v1/me/correction-requests', citizenToken()],
      [`/citizen/v1/me/correction-requests/${protocol}`, citizenToken()],
      ['/citizen/v1/me/immunizations', undefined],
    ] as const) {
      const answer = await call(url, token);
      answers.push([url, answer.statusCode, answer.headers['cache-control']]);
    }
    expect(answers).toEqual([
      ['/citizen/v1/me', 200, 'no-store'],
      ['/citizen/v1/me/immunizations', 200, 'no-store'],
      ['/citizen/v1/me/lab-results', 200, 'no-store'],
      ['/citizen/v1/me/dispensations', 200, 'no-store'],
      ['/citizen/v1/me/timeline', 200, 'no-store'],
      ['/citizen/v1/me/timeline?limit=0', 400, 'no-store'],
      ['/citizen/v1/me/correction-requests', 200, 'no-store'],
      [`/citizen/v1/me/correction-requests/${protocol}`, 200, 'no-store'],
      ['/citizen/v1/me/immunizations', 401, 'no-store'],
    ]);
  });

  it('says it on the senders’ and the registry’s routes too, refusals included', async () => {
    const sender = `dev-establishment-${SENDER}`;
    const answers: Array<[string, number, unknown]> = [];
    for (const [url, token] of [
      [`/fhir/r4/Bundle/${recordId}`, sender],
      [`/fhir/r4/Bundle/${recordId}`, `dev-establishment-${OTHER_SENDER}`],
      ['/establishment/v1/submissions', sender],
      ['/establishment/v1/rejections', sender],
      ['/establishment/v1/correction-requests', sender],
      [`/establishment/v1/correction-requests/${protocol}`, sender],
      ['/identity/v1/persons/no-such-person', REGISTRY_TOKEN],
      ['/establishment/v1/submissions', undefined],
    ] as const) {
      const answer = await call(url, token);
      answers.push([url, answer.statusCode, answer.headers['cache-control']]);
    }
    expect(answers).toEqual([
      [`/fhir/r4/Bundle/${recordId}`, 200, 'no-store'],
      [`/fhir/r4/Bundle/${recordId}`, 404, 'no-store'],
      ['/establishment/v1/submissions', 200, 'no-store'],
      ['/establishment/v1/rejections', 200, 'no-store'],
      ['/establishment/v1/correction-requests', 200, 'no-store'],
      [`/establishment/v1/correction-requests/${protocol}`, 200, 'no-store'],
      ['/identity/v1/persons/no-such-person', 404, 'no-store'],
      ['/establishment/v1/submissions', 401, 'no-store'],
    ]);
  });

  it('leaves the public certificate keys cacheable', async () => {
    const keys = await call('/public/v1/certificates/keys');
    expect([keys.statusCode, keys.headers['cache-control']]).toEqual([200, 'public, max-age=3600']);
  });
});
