import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectEventsMatchSchemas } from './event-schema-harness.ts';
import { openSqliteReadStore } from '@nexo/readstore';
import { rebuildReadModels } from '@nexo/projector';
import { COLLECTIONS } from '@nexo/domain';
import { REGISTRY_TOKEN, SENDER, recordIdOf, riaBundle, tempDataDir } from './hub-harness.ts';
import { startClockedHub, type ClockedHub } from './citizen-services-harness.ts';

const PROVISIONAL = '898001160660001';
const DEFINITIVE = '266764941990004';
const CPF = '52998224725';

describe('correction requests in the log: identity, schemas, rebuild', () => {
  const data = tempDataDir();
  let hub: ClockedHub;
  beforeAll(async () => {
    hub = await startClockedHub(data.dir, '2026-03-02T12:00:00.000Z');
  });
  afterAll(async () => {
    await hub.stop();
    data.remove();
  });

  it('a request about a record sent under a provisional CNS follows the person to their CPF', async () => {
    const sent = await hub.request(
      'POST',
      '/fhir/r4/Bundle',
      `dev-establishment-${SENDER}`,
      riaBundle({ identifier: 'log-1', cns: PROVISIONAL }),
    );
    const recordId = recordIdOf(sent);
    const identified = await fetch(`${hub.url}/identity/v1/persons`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${REGISTRY_TOKEN}` },
      body: JSON.stringify({
        identifiers: [
          { system: 'https://saude.gov.br/sid/cns', value: DEFINITIVE },
          { system: 'https://saude.gov.br/sid/cns', value: PROVISIONAL },
          { system: 'https://saude.gov.br/sid/cpf', value: CPF },
        ],
      }),
    });
    expect(identified.status).toBe(201);
    await hub.hub.projector.caughtUp();
    // opened under the definitive CNS, about a record sent under the provisional one
    const opened = await hub.request(
      'POST',
      '/citizen/v1/me/correction-requests',
      `dev-citizen-cns-${DEFINITIVE}`,
      {
        recordId,
        message: 'Wrong vaccine.',
      },
    );
    expect(opened.status).toBe(201);
    const { protocol } = (await opened.json()) as { protocol: string };
    await hub.hub.projector.caughtUp();
    const byCpf = await hub.request(
      'GET',
      `/citizen/v1/me/correction-requests/${protocol}`,
      `dev-citizen-cpf-${CPF}`,
    );
    expect(byCpf.status).toBe(200);
    expect(((await byCpf.json()) as { recordId: string }).recordId).toBe(recordId);

    hub.setNow('2026-03-03T12:00:00.000Z');
    await hub.request(
      'POST',
      `/establishment/v1/correction-requests/${protocol}/answer`,
      `dev-establishment-${SENDER}`,
      {
        message: 'Checked: the vaccine is right.',
      },
    );
    hub.setNow('2026-03-06T12:00:00.000Z');
    // The scheduler reads the answered requests from the read models: the answer must be projected.
    await hub.hub.projector.caughtUp();
    expect(await hub.hub.correctionDeadlines.runOnce()).toBe(1);
    const rated = await hub.request(
      'POST',
      `/citizen/v1/me/correction-requests/${protocol}/rating`,
      `dev-citizen-cpf-${CPF}`,
      {
        rating: 'neutral',
      },
    );
    expect(rated.status).toBe(200);
  });

  it('every correction event matches its schema in schemas/events', async () => {
    const events = (await hub.hub.engines.store.readAll(0, 100)).filter((e) =>
      e.type.startsWith('Correction'),
    );
    expect(events.map((e) => `${e.type}:${e.sender}`)).toEqual([
      'CorrectionRecordClaimed:citizen',
      'CorrectionRequested:citizen',
      `CorrectionAnswered:${SENDER}`,
      'CorrectionClosed:correction-deadline',
      'CorrectionRated:citizen',
    ]);
    expectEventsMatchSchemas(events);
  });

  it('rebuilding the read models from the log gives the live correction views', async () => {
    await hub.hub.projector.caughtUp();
    const live = hub.hub.engines.readStore;
    const rebuilt = openSqliteReadStore({ file: join(data.dir, 'corrections-rebuilt.sqlite') });
    await rebuildReadModels(hub.hub.engines.store, rebuilt);
    const inbox = await live.find<{ recordId: string }>({
      collection: COLLECTIONS.correctionRequests,
      field: 'establishment',
      value: SENDER,
      limit: 10,
    });
    expect(inbox.documents).toHaveLength(1);
    const documents: Array<[string, string[]]> = [
      [COLLECTIONS.correctionRequests, inbox.documents.map((d) => d.id)],
      [COLLECTIONS.correctionsByRecord, inbox.documents.map((d) => d.body.recordId)],
      [COLLECTIONS.correctionCounters, ['2026']],
    ];
    for (const [collection, ids] of documents) {
      const bodies = async (store: typeof live) => (await store.getMany(collection, ids)).map((d) => d.body);
      expect(await bodies(rebuilt), collection).toEqual(await bodies(live));
      expect(await bodies(live), collection).toHaveLength(1);
    }
    await rebuilt.close();
  });

  it('concurrent requests get unique, consecutive protocol numbers', async () => {
    const token = `dev-citizen-cpf-${CPF}`;
    const records = await Promise.all(
      Array.from({ length: 8 }, async (_, n) =>
        recordIdOf(
          await hub.request(
            'POST',
            '/fhir/r4/Bundle',
            `dev-establishment-${SENDER}`,
            riaBundle({ identifier: `log-many-${n}`, cns: DEFINITIVE }),
          ),
        ),
      ),
    );
    await hub.hub.projector.caughtUp();
    const answers = await Promise.all(
      records.map((recordId) =>
        hub.request('POST', '/citizen/v1/me/correction-requests', token, { recordId, message: 'Check it.' }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(201));
    const protocols = await Promise.all(
      answers.map(async (a) => ((await a.json()) as { protocol: string }).protocol),
    );
    expect(protocols.sort()).toEqual(
      Array.from({ length: 8 }, (_, n) => `2026-${String(n + 2).padStart(6, '0')}`),
    );
  });
});
