import { connect } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { CITIZEN_CNS, citizenToken, example } from './hub-harness.ts';
import { secureHubPerSuite, type SecureHub } from './security-harness.ts';

type Outcome = {
  resourceType: string;
  issue: Array<{
    code: string;
    expression?: string[];
    diagnostics?: string;
    details: { coding: Array<{ code: string }> };
  }>;
};
const SENDER_TOKEN = 'dev-establishment-9990011';
const nested = (depth: number) =>
  `{"resourceType":"Bundle","x":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;

describe('hostile payloads are refused before validation or stay inert data', () => {
  const hub = secureHubPerSuite({ mode: 'development' });
  const post = (body: string) => hub().request({ url: '/fhir/r4/Bundle', token: SENDER_TOKEN, body });
  const card = async () =>
    (await hub().request({ url: '/citizen/v1/me/immunizations', token: citizenToken(CITIZEN_CNS) })).body;

  beforeAll(async () => {
    expect((await post(JSON.stringify(example('ria-r')))).status).toBe(201);
    await hub().hub.projector.caughtUp();
  });

  it('answers JSON nested deeper than 64 levels with 400 NEXO_ERR_TOO_DEEP, before parsing', async () => {
    for (const depth of [65, 100_000]) {
      const response = await post(nested(depth));
      expect(response.status).toBe(400);
      const outcome = response.json() as Outcome;
      expect(outcome.issue[0]).toMatchObject({
        code: 'too-costly',
        details: { coding: [{ code: 'NEXO_ERR_TOO_DEEP' }] },
      });
    }
    // 64 levels pass the parser and meet the validator (422), brackets inside strings do not count.
    expect((await post(nested(64))).status).toBe(422);
    expect((await post(`{"resourceType":"Bundle","id":"${'['.repeat(500)}"}`)).status).toBe(422);
  });

  it.each([
    ['__proto__ at the top', '{"resourceType":"Bundle","__proto__":{"polluted":true}}', '__proto__'],
    [
      'constructor.prototype inside an entry',
      '{"resourceType":"Bundle","entry":[{"resource":{"constructor":{"prototype":{"polluted":true}}}}]}',
      'entry[0].resource.constructor.prototype',
    ],
    [
      'an escaped __proto__',
      '{"resourceType":"Bundle","\\u005f\\u005fproto__":{"polluted":true}}',
      '__proto__',
    ],
  ])(
    'refuses %s with 400 NEXO_ERR_UNSAFE_KEY naming the path; nothing is polluted',
    async (_name, body, path) => {
      const response = await post(body);
      expect(response.status).toBe(400);
      expect((response.json() as Outcome).issue[0]).toMatchObject({
        expression: [path],
        details: { coding: [{ code: 'NEXO_ERR_UNSAFE_KEY' }] },
      });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty('polluted');
    },
  );

  it('treats MongoDB operator keys and values as data: 4xx, never interpreted, the card unchanged', async () => {
    const before = await card();
    const withOperator = (mutate: (b: Record<string, unknown>) => void) => {
      const bundle = example('ria-r');
      bundle.identifier = { system: 'urn:x', value: 'mongo-probe' };
      mutate(bundle);
      return JSON.stringify(bundle);
    };
    const bodies = [
      withOperator((b) => (b.identifier = { $gt: '' })),
      withOperator((b) => (b.$where = 'sleep(1000) || true')),
      withOperator(
        (b) =>
          ((b.entry as Array<{ resource: Record<string, unknown> }>)[1]!.resource.patient = { $ne: null }),
      ),
      '{"resourceType":"Bundle","type":{"$in":["document"]},"identifier":{"$regex":".*"}}',
    ];
    for (const body of bodies) {
      const response = await post(body);
      expect(response.status, body.slice(0, 80)).toBeGreaterThanOrEqual(400);
      expect(response.status, body.slice(0, 80)).toBeLessThan(500);
      expect((response.json() as Outcome).resourceType).toBe('OperationOutcome');
    }
    for (const url of [
      '/establishment/v1/submissions?limit[$gt]=0&cursor[$ne]=x',
      '/establishment/v1/rejections?cursor=%7B%22%24gt%22%3A%22%22%7D',
      `/fhir/r4/Bundle/${encodeURIComponent('{"$ne":null}')}`,
    ]) {
      const response = await hub().request({ url, token: SENDER_TOKEN });
      expect(response.status, url).toBeLessThan(500);
    }
    await hub().hub.projector.caughtUp();
    expect(await card()).toBe(before);
  });

  it.each(['constructor', 'toString', '__proto__'])(
    'answers an entry typed %s (a name objects inherit) with 422 naming its resourceType, and stores nothing',
    async (inherited) => {
      const before = await card();
      const bundle = example('ria-r');
      bundle.identifier = { system: 'urn:x', value: `inherited-${inherited}` };
      (bundle.entry as Array<{ resource: Record<string, unknown> }>)[1]!.resource.resourceType = inherited;
      for (const url of ['/fhir/r4/Bundle', '/fhir/r4/Bundle/$validate']) {
        const response = await hub().request({ url, token: SENDER_TOKEN, body: JSON.stringify(bundle) });
        expect(response.status, url).toBe(422);
        expect((response.json() as Outcome).issue.map((i) => i.expression?.[0])).toContain(
          'Bundle.entry[1].resource.resourceType',
        );
      }
      await hub().hub.projector.caughtUp();
      expect(await card()).toBe(before);
    },
  );
});

describe('rate limits', () => {
  const hub = secureHubPerSuite({
    mode: 'development',
    env: { NEXO_RATE_LIMIT: '5', NEXO_ADDRESS_RATE_LIMIT: '10', NEXO_AUTH_RATE_LIMIT: '2' },
  });
  const submissions = (cnes: string) =>
    hub().request({ url: '/establishment/v1/submissions', token: `dev-establishment-${cnes}` });
  const throttled = (response: Awaited<ReturnType<SecureHub['request']>>) => {
    expect(response.status).toBe(429);
    expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    const issue = (response.json() as Outcome).issue[0];
    expect(issue).toMatchObject({
      code: 'throttled',
      details: { coding: [{ code: 'NEXO_ERR_RATE_LIMITED' }] },
    });
    return (issue as unknown as { diagnostics: string }).diagnostics;
  };

  it('gives each sender its own budget behind one address, under a looser guard per address; token endpoints have a tighter one', async () => {
    const login = () => hub().request({ url: '/dev-issuer/login', body: { cpf: '93273918454' } });
    expect([(await login()).status, (await login()).status]).toEqual([200, 200]);
    expect(throttled(await login())).toMatch(/client address: at most 2 per minute/);

    const first: number[] = [];
    for (let i = 0; i < 5; i++) first.push((await submissions('9990011')).status);
    expect(first).toEqual([200, 200, 200, 200, 200]);
    expect(throttled(await submissions('9990011'))).toMatch(/this establishment: at most 5 per minute/);
    // A second UBS behind the same NAT is not held back by the first one's budget...
    expect([(await submissions('9990022')).status, (await submissions('9990022')).status]).toEqual([
      200, 200,
    ]);
    // ...until the address as a whole passes its own, looser limit (10 here).
    const guard = [];
    for (let i = 0; i < 3; i++) guard.push(await submissions('9990033'));
    expect(guard.slice(0, 2).map((r) => r.status)).toEqual([200, 200]);
    // An answer within the guard does not show the guard's count as if it were the sender's budget.
    expect(guard[0]!.headers['x-ratelimit-remaining']).toBeUndefined();
    expect(throttled(guard[2]!)).toMatch(/client address: at most 10 per minute/);
    // Monitoring from the same address still sees a live, ready hub.
    for (const probe of ['/health', '/ready', '/metrics'])
      expect((await hub().request({ url: probe })).status, probe).toBe(200);
  });
});

describe('refused authentications per address', () => {
  const hub = secureHubPerSuite({ mode: 'development', env: { NEXO_REFUSED_AUTH_LIMIT: '3' } });

  it('audits the refusals up to the budget and the first 429 past it, then answers 429 unaudited; a valid token from the address still passes', async () => {
    const forged = () => hub().request({ url: '/establishment/v1/submissions', token: 'forged.token.value' });
    expect([(await forged()).status, (await forged()).status, (await forged()).status]).toEqual([
      401, 401, 401,
    ]);
    const floods = [
      await forged(),
      await hub().request({ url: '/citizen/v1/me/immunizations' }),
      await hub().request({ url: '/citizen/v1/me/immunizations', headers: { accept: 'application/json' } }),
    ];
    // Labelled as every other answer is: FHIR's type, or plain JSON when Accept prefers it.
    expect(floods.map((flood) => String(flood.headers['content-type']))).toEqual([
      'application/fhir+json; charset=utf-8',
      'application/fhir+json; charset=utf-8',
      'application/json; charset=utf-8',
    ]);
    for (const flood of floods) {
      expect(flood.status).toBe(429);
      expect(Number(flood.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(flood.headers['www-authenticate']).toBeUndefined();
      expect((flood.json() as Outcome).issue[0]).toMatchObject({
        code: 'throttled',
        details: { coding: [{ code: 'NEXO_ERR_RATE_LIMITED' }] },
        diagnostics: expect.stringMatching(/refused authentications from this client address: at most 3/),
      });
    }
    expect((await hub().request({ url: '/establishment/v1/submissions', token: SENDER_TOKEN })).status).toBe(
      200,
    );
    // The three refusals, the first 429 (who hit the limit is on record), and nothing more of the flood.
    const entries = await hub().hub.security.trail.log.read(0, 100);
    expect(entries.map((e) => [e.status, e.actor.kind, e.action, e.reason])).toEqual([
      ...Array.from({ length: 3 }, () => [
        401,
        'anonymous',
        'GET /establishment/v1/submissions',
        'malformed token',
      ]),
      [
        429,
        'anonymous',
        'GET /establishment/v1/submissions',
        'rate limited: over 3 refused authentications a minute from this address',
      ],
    ]);
  });
});

describe('a principal over its rate limit', () => {
  const hub = secureHubPerSuite({ mode: 'development', env: { NEXO_RATE_LIMIT: '3' } });

  it('is audited once a window: its first 429 names who hit the limit, the flood after it is not written', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push(
        (await hub().request({ url: '/citizen/v1/me/immunizations', token: citizenToken(CITIZEN_CNS) }))
          .status,
      );
    expect(statuses).toEqual([200, 200, 200, 429, 429, 429]);
    const entries = await hub().hub.security.trail.log.read(0, 100);
    const citizen = entries[0]?.actor;
    expect(citizen).toMatchObject({ kind: 'citizen' });
    expect(entries.map((e) => [e.status, e.actor, e.outcome, e.reason])).toEqual([
      ...Array.from({ length: 3 }, () => [200, citizen, 'allowed', undefined]),
      [429, citizen, 'denied', 'rate limited: over 3 requests a minute'],
    ]);
  });
});

describe('timeouts', () => {
  const hub = secureHubPerSuite({
    mode: 'development',
    env: { NEXO_REQUEST_TIMEOUT_MS: '2000', NEXO_CONNECTION_TIMEOUT_MS: '1000' },
  });

  it('sets the request timeout and closes a socket that stalls mid-request', async () => {
    expect(hub().hub.app.server.requestTimeout).toBe(2000);
    await hub().hub.app.listen({ host: '127.0.0.1', port: 0 });
    const address = hub().hub.app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const started = Date.now();
    const closed = await new Promise<number>((resolve) => {
      const socket = connect(port, '127.0.0.1', () =>
        socket.write(
          'POST /fhir/r4/Bundle HTTP/1.1\r\nHost: x\r\nContent-Type: application/fhir+json\r\nContent-Length: 100\r\n\r\n{"resource',
        ),
      );
      socket.on('close', () => resolve(Date.now() - started));
      socket.on('error', () => undefined);
    });
    expect(closed).toBeGreaterThanOrEqual(900);
    expect(closed).toBeLessThan(5000);
  });
});

describe('behind a reverse proxy', () => {
  // A card read: individual data, so each one is audited with the address it came from.
  const readCard = (hub: SecureHub, client: string) =>
    hub.request({
      url: '/citizen/v1/me/immunizations',
      token: citizenToken(CITIZEN_CNS),
      headers: { 'x-forwarded-for': client },
    });
  const statuses = async (hub: SecureHub, client: string, count: number) => {
    const answers: number[] = [];
    for (let i = 0; i < count; i++) answers.push((await readCard(hub, client)).status);
    return answers;
  };
  const auditedAddresses = async (hub: SecureHub) =>
    (await hub.hub.security.trail.log.read(0, 100)).map((entry) => entry.origin.address);

  describe('named in NEXO_TRUSTED_PROXIES', () => {
    // Injected requests come from 127.0.0.1: the proxy here.
    const hub = secureHubPerSuite({
      mode: 'development',
      env: { NEXO_ADDRESS_RATE_LIMIT: '2', NEXO_TRUSTED_PROXIES: '10.0.0.0/8, 127.0.0.1' },
    });

    it('counts each client the proxy forwards on its own budget, and audits the client’s address', async () => {
      expect(await statuses(hub(), '203.0.113.7', 3)).toEqual([200, 200, 429]);
      // Another client behind the same proxy is not held back by the first one's budget.
      expect(await statuses(hub(), '198.51.100.4', 2)).toEqual([200, 200]);
      // A chain through a second trusted proxy still names the client before it.
      expect(await statuses(hub(), '198.51.100.4, 10.1.2.3', 1)).toEqual([429]);
      expect(new Set(await auditedAddresses(hub()))).toEqual(new Set(['203.0.113.7', '198.51.100.4']));
    });
  });

  describe('not named (the default)', () => {
    const hub = secureHubPerSuite({ mode: 'development', env: { NEXO_ADDRESS_RATE_LIMIT: '2' } });

    it('ignores X-Forwarded-For: a client cannot name another address to escape its limit or the audit', async () => {
      expect(await statuses(hub(), '203.0.113.7', 2)).toEqual([200, 200]);
      expect(await statuses(hub(), '198.51.100.4', 1)).toEqual([429]);
      expect(new Set(await auditedAddresses(hub()))).toEqual(new Set(['127.0.0.1']));
    });
  });
});
