import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '@nexo/audit';
import { generateCns, seededRandom } from '@nexo/identifiers';
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

const INBOX = '/establishment/v1/correction-requests';
const ANSWER = `POST ${INBOX}/:protocol/answer`;
const sender = `dev-establishment-${SENDER}`;
const otherSender = `dev-establishment-${OTHER_SENDER}`;
const random = seededRandom(41);
const cnsId = (value: string) => ({ system: 'https://saude.gov.br/sid/cns', value });

/** What an entry says about who, where and how it ended (the rest is covered by the chain tests). */
const row = (e: AuditEntry) => ({
  action: e.action,
  resource: e.resource,
  actor: `${e.actor.kind}:${e.actor.id}`,
  establishment: e.origin.establishment,
  outcome: e.outcome,
  status: e.status,
  reason: e.reason,
});

describe('the audit trail names who tried what on individual data, allowed or refused', () => {
  const hub = hubPerSuite();
  let recordId = '';
  let protocol = '';
  interface Call {
    method?: 'GET' | 'POST';
    url: string;
    token?: string;
    body?: unknown;
    headers?: Record<string, string>;
  }
  const call = (o: Call) =>
    hub().hub.app.inject({
      method: o.method ?? (o.body === undefined ? 'GET' : 'POST'),
      url: o.url,
      headers: {
        ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
        ...(o.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...o.headers,
      },
      ...(o.body === undefined ? {} : { payload: JSON.stringify(o.body) }),
    });
  /** The entries the calls of `act` wrote. */
  const entriesOf = async (act: () => Promise<unknown>) => {
    const log = hub().hub.security.trail.log;
    const before = (await log.read(0, 100_000)).length;
    await act();
    return (await log.read(before, 100_000)).map(row);
  };

  beforeAll(async () => {
    const sent = await hub().post('/fhir/r4/Bundle', riaBundle({ identifier: 'audit-1', cns: CITIZEN_CNS }));
    expect(sent.status).toBe(201);
    recordId = recordIdOf(sent);
    await hub().hub.projector.caughtUp();
    const opened = await call({
      url: '/citizen/v1/me/correction-requests',
      token: citizenToken(CITIZEN_CNS),
      body: { recordId, message: 'The lot is wrong.' },
    });
    expect(opened.statusCode).toBe(201);
    protocol = opened.json<{ protocol: string }>().protocol;
    await hub().hub.projector.caughtUp();
  });

  it('audits answers to correction requests: another establishment’s 404 with its reason, the answer, a second answer', async () => {
    const url = `${INBOX}/${protocol}/answer`;
    const statuses: number[] = [];
    const entries = await entriesOf(async () => {
      for (const token of [otherSender, sender, sender])
        statuses.push((await call({ url, token, body: { message: 'Fixed.' } })).statusCode);
    });
    expect(statuses).toEqual([404, 200, 409]);
    const resource = `${INBOX}/${protocol}/answer`;
    expect(entries).toEqual([
      {
        action: ANSWER,
        resource,
        actor: `establishment:${OTHER_SENDER}`,
        establishment: OTHER_SENDER,
        outcome: 'denied',
        status: 404,
        reason: 'correction request of another establishment',
      },
      {
        action: ANSWER,
        resource,
        actor: `establishment:${SENDER}`,
        establishment: SENDER,
        outcome: 'allowed',
        status: 200,
        reason: undefined,
      },
      {
        action: ANSWER,
        resource,
        actor: `establishment:${SENDER}`,
        establishment: SENDER,
        outcome: 'denied',
        status: 409,
        reason: 'NEXO_ERR_CORRECTION_STATE',
      },
    ]);
  });

  it('names why another citizen’s read of or action on a request is refused, the same for every route', async () => {
    const stranger = citizenToken('898001160660001');
    const base = `/citizen/v1/me/correction-requests/${protocol}`;
    const entries = await entriesOf(async () => {
      for (const request of [
        { url: base },
        { url: `${base}/confirm`, body: {} },
        { url: `${base}/reopen`, body: { reason: 'Not mine.' } },
        { url: `${base}/rating`, body: { rating: 'neutral' } },
      ])
        expect((await call({ ...request, token: stranger })).statusCode, request.url).toBe(404);
    });
    expect(entries.map((e) => [e.status, e.reason])).toEqual(
      Array.from({ length: 4 }, () => [404, 'correction request of another citizen']),
    );
  });

  it('names why a request about another citizen’s record is refused, answered as a missing record is', async () => {
    const stranger = citizenToken('898001160660001');
    const statuses: number[] = [];
    const bodies: unknown[] = [];
    const entries = await entriesOf(async () => {
      for (const id of [recordId, '01a00000-0000-7000-8000-000000000000']) {
        const response = await call({
          url: '/citizen/v1/me/correction-requests',
          token: stranger,
          body: { recordId: id, message: 'Not mine.' },
        });
        statuses.push(response.statusCode);
        bodies.push(response.json());
      }
    });
    expect(statuses).toEqual([422, 422]);
    expect(bodies[0]).toEqual(bodies[1]);
    expect(entries.map((e) => [e.action, e.status, e.reason])).toEqual([
      ['POST /citizen/v1/me/correction-requests', 422, 'record of another citizen'],
      ['POST /citizen/v1/me/correction-requests', 422, 'NEXO_ERR_VALIDATION_REFERENCE'],
    ]);
  });

  it('names the establishment a 404 refused (another’s record, another’s request), not only the actor', async () => {
    const entries = await entriesOf(async () => {
      expect((await call({ url: `/fhir/r4/Bundle/${recordId}`, token: otherSender })).statusCode).toBe(404);
      expect((await call({ url: `${INBOX}/${protocol}`, token: otherSender })).statusCode).toBe(404);
    });
    expect(entries.map((e) => [e.action, e.actor, e.establishment, e.status, e.reason])).toEqual([
      [
        'GET /fhir/r4/Bundle/:id',
        `establishment:${OTHER_SENDER}`,
        OTHER_SENDER,
        404,
        'record of another establishment',
      ],
      [
        `GET ${INBOX}/:protocol`,
        `establishment:${OTHER_SENDER}`,
        OTHER_SENDER,
        404,
        'correction request of another establishment',
      ],
    ]);
  });

  it('audits the identity feed’s writes and reads as the registry once its token is checked, whatever the status', async () => {
    const statuses: number[] = [];
    let survivor = '';
    let merged = '';
    const entries = await entriesOf(async () => {
      const create = async () => {
        const answer = await call({
          url: '/identity/v1/persons',
          token: REGISTRY_TOKEN,
          body: { identifiers: [cnsId(generateCns('definitive', random))] },
        });
        statuses.push(answer.statusCode);
        return answer.json<{ personId: string }>().personId;
      };
      survivor = await create();
      merged = await create();
      for (const [url, body] of [
        [
          `/identity/v1/persons/${survivor}/identifiers`,
          { identifiers: [cnsId(generateCns('provisional', random))] },
        ],
        [`/identity/v1/persons/${survivor}/merge`, { mergedPersonId: merged }],
        ['/identity/v1/persons', { identifiers: [cnsId('123')] }],
      ] as const)
        statuses.push((await call({ url, token: REGISTRY_TOKEN, body })).statusCode);
      statuses.push(
        (await call({ url: '/identity/v1/persons/no-such-person', token: REGISTRY_TOKEN })).statusCode,
      );
      // Refused: a citizen's (valid) token, no token at all.
      statuses.push(
        (
          await call({
            url: `/identity/v1/persons/${survivor}/merge`,
            token: citizenToken(),
            body: { mergedPersonId: merged },
          })
        ).statusCode,
      );
      statuses.push((await call({ url: `/identity/v1/persons/${survivor}` })).statusCode);
    });
    expect(statuses).toEqual([201, 201, 200, 200, 422, 404, 401, 401]);
    const registry = 'registry:identity-feed';
    expect(entries.map((e) => [e.action, e.resource, e.actor, e.outcome, e.status, e.reason])).toEqual([
      ['POST /identity/v1/persons', '/identity/v1/persons', registry, 'allowed', 201, undefined],
      ['POST /identity/v1/persons', '/identity/v1/persons', registry, 'allowed', 201, undefined],
      [
        'POST /identity/v1/persons/:personId/identifiers',
        `/identity/v1/persons/${survivor}/identifiers`,
        registry,
        'allowed',
        200,
        undefined,
      ],
      [
        'POST /identity/v1/persons/:personId/merge',
        `/identity/v1/persons/${survivor}/merge`,
        registry,
        'allowed',
        200,
        undefined,
      ],
      [
        'POST /identity/v1/persons',
        '/identity/v1/persons',
        registry,
        'denied',
        422,
        'NEXO_ERR_VALIDATION_IDENTIFIER',
      ],
      [
        'GET /identity/v1/persons/:personId',
        '/identity/v1/persons/no-such-person',
        registry,
        'denied',
        404,
        'NEXO_ERR_NOT_FOUND',
      ],
      [
        'POST /identity/v1/persons/:personId/merge',
        `/identity/v1/persons/${survivor}/merge`,
        'anonymous:-',
        'denied',
        401,
        'not the identity feed token',
      ],
      [
        'GET /identity/v1/persons/:personId',
        `/identity/v1/persons/${survivor}`,
        'anonymous:-',
        'denied',
        401,
        'no bearer token',
      ],
    ]);
  });

  it('reads the identity feed’s token as its routes do: in X-Authorization-Server, and never past a malformed scheme', async () => {
    const answers: number[] = [];
    const entries = await entriesOf(async () => {
      const identifiers = [cnsId(generateCns('definitive', random))];
      for (const headers of [
        { 'x-authorization-server': `Bearer ${REGISTRY_TOKEN}` } as Record<string, string>,
        { authorization: `Bearer\t${REGISTRY_TOKEN}` },
      ])
        answers.push(
          (await call({ url: '/identity/v1/persons', body: { identifiers }, headers })).statusCode,
        );
    });
    expect(answers).toEqual([201, 401]);
    expect(entries.map((e) => [e.actor, e.outcome, e.status])).toEqual([
      ['registry:identity-feed', 'allowed', 201],
      ['anonymous:-', 'denied', 401],
    ]);
  });

  it('names the actor of a request refused before its route authenticated it (406, 415), keeping those statuses', async () => {
    const answers: Array<[number, string]> = [];
    const entries = await entriesOf(async () => {
      const requests: Call[] = [
        { url: `/fhir/r4/Bundle/${recordId}`, token: sender, headers: { accept: 'application/fhir+xml' } },
        { url: `/fhir/r4/Bundle/${recordId}?_format=xml`, token: sender },
        {
          url: `/fhir/r4/Bundle/${recordId}`,
          token: 'dev-establishment-123',
          headers: { accept: 'text/turtle' },
        },
        {
          method: 'POST',
          url: `${INBOX}/${protocol}/answer`,
          token: otherSender,
          headers: { 'content-type': 'text/plain' },
        },
      ];
      for (const request of requests) {
        const answer = await call(request);
        answers.push([
          answer.statusCode,
          answer.json<{ issue: Array<{ details: { coding: Array<{ code: string }> } }> }>().issue[0]?.details
            .coding[0]?.code ?? '',
        ]);
      }
    });
    expect(answers).toEqual([
      [406, 'NEXO_ERR_NOT_ACCEPTABLE'],
      [406, 'NEXO_ERR_NOT_ACCEPTABLE'],
      [406, 'NEXO_ERR_NOT_ACCEPTABLE'],
      [415, 'NEXO_ERR_MEDIA_TYPE'],
    ]);
    expect(entries.map((e) => [e.action, e.actor, e.establishment, e.status, e.reason])).toEqual([
      ['GET /fhir/r4/Bundle/:id', `establishment:${SENDER}`, SENDER, 406, 'NEXO_ERR_NOT_ACCEPTABLE'],
      ['GET /fhir/r4/Bundle/:id', `establishment:${SENDER}`, SENDER, 406, 'NEXO_ERR_NOT_ACCEPTABLE'],
      // An invalid token proves nobody: the refusal's own reason is kept.
      ['GET /fhir/r4/Bundle/:id', 'anonymous:-', undefined, 406, 'NEXO_ERR_NOT_ACCEPTABLE'],
      [ANSWER, `establishment:${OTHER_SENDER}`, OTHER_SENDER, 415, 'NEXO_ERR_MEDIA_TYPE'],
    ]);
  });
});
