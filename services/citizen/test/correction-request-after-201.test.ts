import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteEventStore } from '@nexo/eventstore';
import { openSqliteReadStore, type ReadModelsCaughtUp, type ReadStore } from '@nexo/readstore';
import { installFhirEdge, newId } from '@nexo/runtime';
import { citizenKey, type CitizenId } from '@nexo/identifiers';
import {
  COLLECTIONS,
  applyToCitizenRecords,
  emptyCitizenRecords,
  recordIndexChanges,
  type CitizenRecords,
  type DomainEvent,
} from '@nexo/domain';
import { correctionRequestRoutes } from '../src/index.ts';

const CITIZEN: CitizenId = { kind: 'CNS', number: '266764941990004' };
const OTHER_CITIZEN: CitizenId = { kind: 'CNS', number: '203212962400006' };
const ESTABLISHMENT = '9990011';
const NOW = '2026-03-02T12:00:00.000Z';

/** What the hub's ingest appends for an accepted RIA: the event the projector will apply. */
const recordSubmitted = (recordId: string, citizen: CitizenId): DomainEvent<'RecordSubmitted'> => ({
  id: newId(),
  stream: `submission-${recordId}`,
  version: 1,
  position: 1,
  type: 'RecordSubmitted',
  schemaVersion: 1,
  occurredAt: NOW,
  recordedAt: NOW,
  sender: ESTABLISHMENT,
  citizenKey: citizenKey(citizen),
  correlationId: 'corr-test',
  data: {
    recordId,
    recordType: 'RIA',
    model: 'RIA-R-2.0',
    bundleIdentifier: { system: 'http://www.saude.gov.br/fhir/r4/NamingSystem/BRRNDS-99', value: recordId },
    citizen,
    documentDate: NOW,
    contentHash: `hash-${recordId}`,
    document: {},
    summary: {
      recordType: 'RIA',
      vaccine: { system: 'BRImunobiologico', code: '77', display: 'Influenza' },
      dose: { system: 'BRDose', code: '8', display: 'Dose' },
      occurrence: '2026-03-02T09:30:00-03:00',
      lotNumber: 'INF26A001',
    },
  },
});

/**
 * A projector held back: an accepted record waits in `lagging` (its 201 was answered, the read
 * models do not have it yet) until someone asks whether the read models caught up, which projects
 * it with the domain's own projections and then resolves, as the hub's subscription does.
 */
const heldBackProjector = (readStore: ReadStore) => {
  const lagging: DomainEvent<'RecordSubmitted'>[] = [];
  const project = async (event: DomainEvent<'RecordSubmitted'>) => {
    const entries = recordIndexChanges(event).flatMap((c) => (c.op === 'create' ? [c.entry] : []));
    const stored = await readStore.get<CitizenRecords>(COLLECTIONS.citizenRecords, event.citizenKey);
    const view = applyToCitizenRecords(stored?.body ?? emptyCitizenRecords(event.citizenKey), event);
    await readStore.commit([
      ...entries.map((entry) => ({
        kind: 'put' as const,
        collection: COLLECTIONS.records,
        id: entry.recordId,
        expectedRevision: 0,
        body: entry,
      })),
      {
        kind: 'put',
        collection: COLLECTIONS.citizenRecords,
        id: event.citizenKey,
        expectedRevision: stored?.revision ?? 0,
        body: view,
      },
    ]);
  };
  const projector = {
    calls: 0,
    /** The record was accepted; the projection follows. */
    accept: (recordId: string, citizen = CITIZEN) => void lagging.push(recordSubmitted(recordId, citizen)),
    /** The record was accepted and projected. */
    project: (recordId: string, citizen = CITIZEN) => project(recordSubmitted(recordId, citizen)),
    caughtUp: (async () => {
      projector.calls++;
      for (const event of lagging.splice(0)) await project(event);
    }) as ReadModelsCaughtUp,
  };
  return projector;
};

/**
 * `POST /citizen/v1/me/correction-requests` right after the record's 201: the record is looked up
 * in the read models, which the projector fills a few milliseconds after the 201. A record not
 * found there is looked up again once the projector caught up (at most a second, as a GET of a
 * Bundle's Location does), so the citizen is not told that a record they were just shown is not theirs.
 */
describe('a correction request sent right after the record’s 201', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nexo-citizen-lag-'));
  const events = openSqliteEventStore({ file: join(dir, 'events.sqlite') });
  const readStore = openSqliteReadStore({ file: ':memory:' });
  const apps: FastifyInstance[] = [];
  afterAll(async () => {
    for (const app of apps) await app.close();
    await readStore.close();
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const appWith = async (readModelsCaughtUp?: ReadModelsCaughtUp) => {
    const app = Fastify();
    installFhirEdge(app);
    await app.register(
      correctionRequestRoutes({
        store: events.store,
        readStore,
        clock: () => new Date(NOW),
        newId,
        auth: {
          establishment: () => Promise.reject(new Error('not called')),
          citizen: async () => CITIZEN,
          annotate: () => undefined,
        },
        ...(readModelsCaughtUp ? { readModelsCaughtUp } : {}),
      }),
    );
    apps.push(app);
    return app;
  };
  const ask = async (app: FastifyInstance, recordId: string) => {
    const answer = await app.inject({
      method: 'POST',
      url: '/citizen/v1/me/correction-requests',
      headers: { 'content-type': 'application/json' },
      payload: { recordId, message: 'The lot number on my card is wrong.' },
    });
    return { status: answer.statusCode, location: answer.headers.location, body: answer.json<unknown>() };
  };
  const notYours = {
    status: 422,
    location: undefined,
    body: {
      resourceType: 'OperationOutcome',
      issue: [
        {
          severity: 'error',
          code: 'processing',
          details: {
            coding: [
              {
                system: 'https://nexo.saude.example/fhir/CodeSystem/nexo-error',
                code: 'NEXO_ERR_VALIDATION_REFERENCE',
                display: 'a reference does not resolve',
              },
            ],
          },
          diagnostics: 'recordId must name one of your current records (see /citizen/v1/me/timeline).',
          expression: ['recordId'],
        },
      ],
    },
  };

  let projector: ReturnType<typeof heldBackProjector>;
  let app: FastifyInstance;
  beforeAll(async () => {
    projector = heldBackProjector(readStore);
    app = await appWith(projector.caughtUp);
  });

  it('the race is real: without a projector to wait for, the lagging record is refused', async () => {
    const lagging = heldBackProjector(readStore);
    lagging.accept('rec-race');
    expect(await ask(await appWith(), 'rec-race')).toEqual(notYours);
    await lagging.caughtUp();
  });

  it('waits for the projector when the record is not found yet, then opens the request', async () => {
    projector.accept('rec-1');
    const calls = projector.calls;
    expect(await ask(app, 'rec-1')).toEqual({
      status: 201,
      location: '/citizen/v1/me/correction-requests/2026-000001',
      body: {
        protocol: '2026-000001',
        status: 'open',
        recordId: 'rec-1',
        establishment: ESTABLISHMENT,
        openedAt: NOW,
      },
    });
    expect(projector.calls - calls).toBe(1);
  });

  it('does not wait for a record the read models already hold', async () => {
    await projector.project('rec-2');
    const calls = projector.calls;
    expect((await ask(app, 'rec-2')).status).toBe(201);
    expect(projector.calls - calls).toBe(0);
  });

  it('still refuses a record that is not the citizen’s once the projector caught up', async () => {
    projector.accept('rec-other', OTHER_CITIZEN);
    const calls = projector.calls;
    expect(await ask(app, 'rec-other')).toEqual(notYours);
    expect(await ask(app, 'rec-unknown')).toEqual(notYours);
    expect(projector.calls - calls).toBe(2);
  });

  it('does not wait for a projector that stopped: the record is refused at once', async () => {
    const stopped = await appWith(() => Promise.reject(new Error('the subscription was stopped')));
    const started = Date.now();
    expect(await ask(stopped, 'rec-never')).toEqual(notYours);
    expect(Date.now() - started).toBeLessThan(500);
  });
});
