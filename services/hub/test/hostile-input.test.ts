import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NEXO_ERRORS } from '@nexo/fhir';
import { CITIZEN_CNS, SENDER, citizenToken, example, tempDataDir } from './hub-harness.ts';
import { hostileCorpus, type HostileCase } from './hostile-corpus.ts';
import { startSecureHub, type SecureHub } from './security-harness.ts';

const SENDER_TOKEN = `dev-establishment-${SENDER}`;
const BATCH = 32;

/**
 * Thousands of hostile requests — truncated JSON, wrong types, huge strings, deep nesting,
 * unicode tricks, invalid identifiers, duplicated entries, dangling references, pollution and
 * operator keys, mutations of the national examples, random JSON and text, odd content types,
 * hostile ids and query strings — each must be answered with a 4xx OperationOutcome naming a
 * registered error code; the hub never answers 5xx, never crashes, and what was accepted before
 * is still there, unchanged.
 */
describe('hostile-input corpus over HTTP', () => {
  const data = tempDataDir();
  let hub: SecureHub;
  const snapshot = async () => ({
    card: (await hub.request({ url: '/citizen/v1/me/immunizations', token: citizenToken(CITIZEN_CNS) })).body,
    lab: (await hub.request({ url: '/citizen/v1/me/lab-results', token: 'dev-citizen-cns-998396937874850' }))
      .body,
    submissions: (await hub.request({ url: '/establishment/v1/submissions', token: SENDER_TOKEN })).body,
    medicines: (
      await hub.request({ url: '/citizen/v1/me/dispensations', token: 'dev-citizen-cpf-93273918454' })
    ).body,
  });

  beforeAll(async () => {
    hub = await startSecureHub(data.dir, {
      mode: 'development',
      env: { NEXO_RATE_LIMIT: '1000000', NEXO_ADDRESS_RATE_LIMIT: '10000000' },
    });
    const accepted = await hub.request({
      url: '/fhir/r4/Bundle',
      token: SENDER_TOKEN,
      body: example('ria-r'),
    });
    expect(accepted.status).toBe(201);
    const rdm = await hub.request({
      url: '/fhir/r4/Bundle',
      token: 'dev-establishment-9990033',
      body: example('rdm'),
    });
    expect(rdm.status).toBe(201);
    const lab = await hub.request({
      url: '/fhir/r4/Bundle',
      token: 'dev-establishment-9990022',
      body: example('rel-qualitativo'),
    });
    expect(lab.status).toBe(201);
    await hub.hub.projector.caughtUp();
  });
  afterAll(async () => {
    await hub.stop();
    data.remove();
  });

  const send = async (c: HostileCase) => {
    const response = await hub.hub.app.inject({
      method: c.method,
      url: c.url,
      headers: {
        authorization: `Bearer ${c.token === 'sender' ? `dev-establishment-${c.sender ?? SENDER}` : citizenToken(CITIZEN_CNS)}`,
        ...(c.contentType ? { 'content-type': c.contentType } : {}),
      },
      ...(c.body === undefined ? {} : { payload: c.body }),
    });
    return {
      status: response.statusCode,
      type: String(response.headers['content-type'] ?? ''),
      body: response.body,
    };
  };

  it('answers every case with a 4xx OperationOutcome and leaves accepted data intact', async () => {
    const before = await snapshot();
    const corpus = hostileCorpus();
    expect(corpus.length).toBeGreaterThan(3000);
    const statuses = new Map<number, number>();
    const codes = new Map<string, number>();
    const failures: string[] = [];
    for (let i = 0; i < corpus.length; i += BATCH) {
      const batch = corpus.slice(i, i + BATCH);
      const answers = await Promise.all(batch.map(send));
      answers.forEach((answer, j) => {
        const c = batch[j]!;
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        let code = '';
        try {
          const outcome = JSON.parse(answer.body) as {
            resourceType?: string;
            issue?: Array<{ details?: { coding?: Array<{ code?: string }> } }>;
          };
          code =
            outcome.resourceType === 'OperationOutcome'
              ? (outcome.issue?.[0]?.details?.coding?.[0]?.code ?? '')
              : '';
        } catch {
          code = '';
        }
        codes.set(code, (codes.get(code) ?? 0) + 1);
        const ok =
          answer.status >= 400 &&
          answer.status < 500 &&
          answer.type.startsWith('application/fhir+json') &&
          Object.hasOwn(NEXO_ERRORS, code);
        if (!ok)
          failures.push(
            `${c.family} ${c.method} ${c.url.slice(0, 60)} → ${answer.status} ${answer.body.slice(0, 160)} | ${String(c.body).slice(0, 120)}`,
          );
      });
    }
    const families = new Map<string, number>();
    for (const c of corpus) families.set(c.family, (families.get(c.family) ?? 0) + 1);
    console.log(
      `hostile-input corpus: ${corpus.length} cases; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}; ` +
        `codes ${JSON.stringify(Object.fromEntries([...codes].sort((a, b) => b[1] - a[1])))}; families ${JSON.stringify(Object.fromEntries(families))}`,
    );
    expect(failures.slice(0, 10)).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    await hub.hub.projector.caughtUp();
    expect(await snapshot()).toEqual(before);
    expect(await hub.hub.security.trail.log.verify()).toMatchObject({ ok: true });
  });
});
