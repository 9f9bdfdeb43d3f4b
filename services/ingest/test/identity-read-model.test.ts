import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteEventStore, type EventEngine } from '@nexo/eventstore';
import { openSqliteReadStore, type ReadStore } from '@nexo/readstore';
import { generateCns, generateCpf, seededRandom, type CitizenId } from '@nexo/identifiers';
import { installFhirEdge, newId } from '@nexo/runtime';
import { COLLECTIONS, IDENTITY_META_ID, IDENTITY_STREAM, SCHEMA_VERSIONS, type Person } from '@nexo/domain';
import { identityFeedRoutes } from '../src/index.ts';

const TOKEN = 'test-registry-token';
const random = seededRandom(17);

/**
 * The identity feed decides on the identity read model, which the projector updates after the
 * registry stream (a few milliseconds in one process; more behind the relay and Kafka). No projector
 * runs here: the test plays it, late, to show that the feed waits for the read model to hold what
 * the stream holds, and gives up with a 503 rather than deciding on stale identity.
 */
describe('the identity feed reads its own writes, whatever the projector lags', () => {
  let dir: string;
  let events: EventEngine;
  let readStore: ReadStore;
  let app: FastifyInstance;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nexo-identity-'));
    events = openSqliteEventStore({ file: join(dir, 'events.sqlite') });
    readStore = openSqliteReadStore({ file: ':memory:' });
    app = Fastify();
    installFhirEdge(app);
    await app.register(
      identityFeedRoutes({
        store: events.store,
        readStore,
        clock: () => new Date(),
        newId,
        feedToken: TOKEN,
        identityReadWaitMs: 300,
      }),
    );
  });
  afterEach(async () => {
    await app.close();
    await readStore.close();
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const cns: CitizenId = { kind: 'CNS', number: generateCns('provisional', random) };
  const person: Person = { personId: 'person-1', identifiers: [cns], demographics: {} };
  /** What the feed appended for a person it created: the registry stream at version 1. */
  const identified = () =>
    events.store.append(IDENTITY_STREAM, 0, [
      {
        id: newId(),
        type: 'CitizenIdentified',
        schemaVersion: SCHEMA_VERSIONS.CitizenIdentified,
        occurredAt: new Date().toISOString(),
        sender: 'identity-feed',
        citizenKey: `cns:${cns.number}`,
        correlationId: 'test',
        data: { personId: person.personId, identifiers: [cns], demographics: {} },
      },
    ]);
  /** The projector applying that event, `afterMs` later. */
  const projectedAfter = (afterMs: number) =>
    new Promise<void>((resolve, reject) =>
      setTimeout(() => {
        readStore
          .commit([
            {
              kind: 'put',
              collection: COLLECTIONS.persons,
              id: person.personId,
              expectedRevision: 0,
              body: person,
            },
            {
              kind: 'put',
              collection: COLLECTIONS.identityLinks,
              id: `cns:${cns.number}`,
              expectedRevision: 0,
              body: { citizenKey: `cns:${cns.number}`, personId: person.personId },
            },
            {
              kind: 'put',
              collection: COLLECTIONS.identityMeta,
              id: IDENTITY_META_ID,
              expectedRevision: 0,
              body: { version: 1 },
            },
          ])
          .then(resolve, reject);
      }, afterMs),
    );
  const feed = async (method: 'GET' | 'POST', url: string, body?: Record<string, unknown>) => {
    const answer = await app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${TOKEN}` },
      ...(body === undefined ? {} : { payload: body }),
    });
    return { status: answer.statusCode, body: answer.json<unknown>() };
  };
  const cpfBody = () => ({
    identifiers: [{ system: 'https://saude.gov.br/sid/cpf', value: generateCpf(random) }],
  });

  it('a link to a person the read model does not hold yet waits for it, then links', async () => {
    await identified();
    const projected = projectedAfter(60);
    expect(await feed('POST', '/identity/v1/persons/person-1/identifiers', cpfBody())).toEqual({
      status: 200,
      body: { personId: 'person-1', changed: true },
    });
    await projected;
    expect(await events.store.streamVersion(IDENTITY_STREAM)).toBe(2);
  });

  it('a read of a person the read model does not hold yet waits for it', async () => {
    await identified();
    const projected = projectedAfter(60);
    expect(await feed('GET', '/identity/v1/persons/person-1')).toEqual({
      status: 200,
      body: { ...person, displayCns: cns.number },
    });
    await projected;
  });

  it('past the wait, 503 NEXO_ERR_UNAVAILABLE: nothing decided on stale identity, nothing appended', async () => {
    await identified();
    const unavailable = {
      status: 503,
      body: {
        resourceType: 'OperationOutcome',
        issue: [
          {
            severity: 'error',
            code: 'transient',
            details: {
              coding: [
                {
                  system: 'https://nexo.saude.example/fhir/CodeSystem/nexo-error',
                  code: 'NEXO_ERR_UNAVAILABLE',
                  display: 'the hub is not ready',
                },
              ],
            },
            diagnostics: 'the identity registry is busy; retry the same request.',
          },
        ],
      },
    };
    expect(await feed('POST', '/identity/v1/persons/person-1/identifiers', cpfBody())).toEqual(unavailable);
    expect(await feed('GET', '/identity/v1/persons/person-1')).toEqual(unavailable);
    expect(await events.store.streamVersion(IDENTITY_STREAM)).toBe(1);
  });
});
