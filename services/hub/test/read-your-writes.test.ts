import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DestinationStream } from 'pino';
import { generateCns, generateCpf, seededRandom } from '@nexo/identifiers';
import { createLogger } from '@nexo/runtime';
import { createHub, type Hub } from '../src/index.ts';
import { OTHER_SENDER, REGISTRY_TOKEN, SENDER, riaBundle, tempDataDir } from './hub-harness.ts';

const quiet = createLogger({
  level: 'warn',
  name: 'test',
  destination: { write: () => undefined } as unknown as DestinationStream,
});

const random = seededRandom(41);
const cns = (value: string) => ({ system: 'https://saude.gov.br/sid/cns', value });
const cpf = (value: string) => ({ system: 'https://saude.gov.br/sid/cpf', value });
const ROUNDS = 20;

/**
 * The projector runs on its own thread (the launcher's mode), so the read models really follow each
 * answer by a few milliseconds. Every request here comes at once after the answer it depends on:
 * it must see that answer's change, as the GET of a Bundle's Location sees its 201.
 */
describe('read-your-writes right after an answer, the projector on its own thread', () => {
  const folder = tempDataDir();
  let hub: Hub;
  beforeAll(async () => {
    hub = await createHub(
      { dataDir: folder.dir, bodyLimit: 1_048_576, identityFeedToken: REGISTRY_TOKEN },
      { logger: quiet, projectorThread: true },
    );
  });
  afterAll(async () => {
    await hub.close();
    folder.remove();
  });

  const feed = async (method: 'GET' | 'POST', url: string, body?: unknown) => {
    const answer = await hub.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${REGISTRY_TOKEN}` },
      ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
    });
    return { status: answer.statusCode, body: answer.json<Record<string, unknown>>() };
  };
  const identify = async (identifier: { system: string; value: string }): Promise<string> => {
    const created = await feed('POST', '/identity/v1/persons', { identifiers: [identifier] });
    expect(created).toEqual({ status: 201, body: { personId: expect.any(String), changed: true } });
    return String(created.body.personId);
  };

  it('links an identifier to a person created the moment before', async () => {
    const answers: unknown[] = [];
    for (let n = 0; n < ROUNDS; n++) {
      const personId = await identify(cns(generateCns('provisional', random)));
      const linked = await feed('POST', `/identity/v1/persons/${personId}/identifiers`, {
        identifiers: [cpf(generateCpf(random))],
      });
      answers.push(linked.status === 200 ? linked.body.personId === personId : linked);
    }
    expect(answers).toEqual(answers.map(() => true));
  });

  it('reads a person created the moment before', async () => {
    const answers: unknown[] = [];
    for (let n = 0; n < ROUNDS; n++) {
      const number = generateCns('provisional', random);
      const personId = await identify(cns(number));
      const read = await feed('GET', `/identity/v1/persons/${personId}`);
      answers.push(
        read.status === 200 && (read.body.identifiers as Array<{ number: string }>)[0]?.number === number
          ? 'found'
          : read,
      );
    }
    expect(answers).toEqual(answers.map(() => 'found'));
  });

  it('merges a person created the moment before, then links to the survivor what the merge gave it', async () => {
    const answers: unknown[] = [];
    for (let n = 0; n < ROUNDS; n++) {
      const provisional = generateCns('provisional', random);
      const survivor = await identify(cpf(generateCpf(random)));
      const merged = await identify(cns(provisional));
      const merge = await feed('POST', `/identity/v1/persons/${survivor}/merge`, { mergedPersonId: merged });
      const again = await feed('POST', `/identity/v1/persons/${survivor}/identifiers`, {
        identifiers: [cns(provisional)],
      });
      answers.push({ merge: merge.status, again: again.status === 200 ? again.body : again });
    }
    expect(answers).toEqual(
      answers.map(() => ({ merge: 200, again: { personId: expect.any(String), changed: false } })),
    );
  });

  it("refuses a replacement of another establishment's record accepted the moment before as forbidden, not unknown", async () => {
    const post = (bundle: unknown, sender: string) =>
      hub.app.inject({
        method: 'POST',
        url: '/fhir/r4/Bundle',
        headers: {
          'content-type': 'application/fhir+json',
          authorization: `Bearer dev-establishment-${sender}`,
        },
        payload: JSON.stringify(bundle),
      });
    const answers: unknown[] = [];
    for (let n = 0; n < ROUNDS; n++) {
      const theirs = await post(riaBundle({ identifier: `THEIRS-${n}`, author: OTHER_SENDER }), OTHER_SENDER);
      expect(theirs.statusCode).toBe(201);
      const target = String(theirs.headers.location).split('/').at(-1) ?? '';
      const hijack = await post(riaBundle({ identifier: `MINE-${n}`, replaces: target }), SENDER);
      const codes = hijack.json<{ issue: Array<{ details: { coding: Array<{ code: string }> } }> }>().issue;
      answers.push(`${hijack.statusCode} ${codes.map((i) => i.details.coding[0]?.code).join()}`);
    }
    expect(answers).toEqual(answers.map(() => '403 NEXO_ERR_FORBIDDEN'));
  });
});
