import { afterEach, describe, expect, it } from 'vitest';
import type { DestinationStream } from 'pino';
import { createLogger } from '@nexo/runtime';
import { createHub, type Hub } from '../src/index.ts';
import { CITIZEN_CNS, REGISTRY_TOKEN, SENDER, citizenToken, riaBundle, tempDataDir } from './hub-harness.ts';

const quiet = createLogger({
  level: 'warn',
  name: 'test',
  destination: { write: () => undefined } as unknown as DestinationStream,
});

const open = (dataDir: string): Promise<Hub> =>
  createHub(
    { dataDir, bodyLimit: 1_048_576, identityFeedToken: REGISTRY_TOKEN },
    { logger: quiet, projectorThread: true },
  );

const submit = (hub: Hub, identifier: string) =>
  hub.app.inject({
    method: 'POST',
    url: '/fhir/r4/Bundle',
    headers: { 'content-type': 'application/fhir+json', authorization: `Bearer dev-establishment-${SENDER}` },
    payload: JSON.stringify(riaBundle({ identifier })),
  });

const card = async (hub: Hub): Promise<string[]> => {
  const answer = await hub.app.inject({
    method: 'GET',
    url: '/citizen/v1/me/immunizations',
    headers: { authorization: `Bearer ${citizenToken(CITIZEN_CNS)}` },
  });
  expect(answer.statusCode).toBe(200);
  return (answer.json() as { immunizations: Array<{ recordId: string }> }).immunizations.map(
    (i) => i.recordId,
  );
};

describe("the projector on its own thread (the launcher's mode)", () => {
  const folders: Array<{ remove: () => void }> = [];
  afterEach(() => {
    for (const folder of folders.splice(0)) folder.remove();
  });

  it('answers a GET of the Location sent right after the 201, though the projection follows it', async () => {
    const folder = tempDataDir();
    folders.push(folder);
    const hub = await open(folder.dir);
    const answers: number[] = [];
    for (let n = 0; n < 30; n++) {
      const accepted = await submit(hub, `READ-AFTER-${n}`);
      expect(accepted.statusCode).toBe(201);
      const read = await hub.app.inject({
        method: 'GET',
        url: new URL(String(accepted.headers.location)).pathname,
        headers: { authorization: `Bearer dev-establishment-${SENDER}` },
      });
      answers.push(read.statusCode);
    }
    await hub.close();
    expect(answers).toEqual(answers.map(() => 200));
  });

  it('opens a correction request sent right after the record’s 201, though the projection follows it', async () => {
    const folder = tempDataDir();
    folders.push(folder);
    const hub = await open(folder.dir);
    const answers: Array<number | string> = [];
    for (let n = 0; n < 30; n++) {
      const accepted = await submit(hub, `CORRECT-AFTER-${n}`);
      expect(accepted.statusCode).toBe(201);
      const asked = await hub.app.inject({
        method: 'POST',
        url: '/citizen/v1/me/correction-requests',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${citizenToken(CITIZEN_CNS)}` },
        payload: {
          recordId: String(accepted.headers.location).split('/').at(-1),
          message: 'The lot number on my card is wrong.',
        },
      });
      answers.push(asked.statusCode === 201 ? 201 : `${asked.statusCode} ${asked.body}`);
    }
    await hub.close();
    expect(answers).toEqual(answers.map(() => 201));
  });

  it('projects what ingest appends, reports when it caught up, and resumes from its checkpoint after a restart', async () => {
    const folder = tempDataDir();
    folders.push(folder);
    const first = await open(folder.dir);
    const accepted = await submit(first, 'THREAD-1');
    expect(accepted.statusCode).toBe(201);
    const recordId = String(accepted.headers.location).split('/').at(-1);
    await first.projector.caughtUp();
    expect(await card(first)).toEqual([recordId]);
    await first.close();
    await expect(first.projector.caughtUp()).rejects.toThrow('stopped');

    const second = await open(folder.dir);
    const again = await submit(second, 'THREAD-2');
    expect(again.statusCode).toBe(201);
    await second.projector.caughtUp();
    expect((await card(second)).sort()).toEqual(
      [recordId, String(again.headers.location).split('/').at(-1)].sort(),
    );
    await second.close();
  });
});
