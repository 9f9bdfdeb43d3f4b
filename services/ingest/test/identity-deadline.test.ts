import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConcurrencyError, openSqliteEventStore, type EventEngine, type EventStore } from '@nexo/eventstore';
import { openSqliteReadStore, type ReadStore } from '@nexo/readstore';
import { NEXO_ERROR_SYSTEM } from '@nexo/fhir';
import { generateCns, generateCpf, seededRandom, type CitizenId } from '@nexo/identifiers';
import { installFhirEdge, newId } from '@nexo/runtime';
import { COLLECTIONS, IDENTITY_META_ID, IDENTITY_STREAM, SCHEMA_VERSIONS } from '@nexo/domain';
import { identityFeedRoutes } from '../src/index.ts';
import {
  IDENTITY_COMMAND_DEADLINE_MS,
  IDENTITY_READ_WAIT_MS,
  type IdentityTimer,
} from '../src/identity-read-model.ts';

const TOKEN = 'test-registry-token';
const random = seededRandom(23);

/**
 * Virtual time for the identity feed's waits: it moves only when the feed pauses or the test says
 * so, and an action can be set for a moment (the projector catching up). Whatever the machine's
 * speed, the deadline passes at the same step.
 */
const virtualTime = () => {
  let now = 0;
  const scheduled: Array<{ at: number; action: () => Promise<unknown> }> = [];
  const timer: IdentityTimer = {
    now: () => now,
    pause: async (ms) => {
      now += ms;
      for (const due of scheduled.filter((s) => s.at <= now)) {
        scheduled.splice(scheduled.indexOf(due), 1);
        await due.action();
      }
    },
  };
  return {
    timer,
    now: () => now,
    advance: (ms: number) => void (now += ms),
    at: (at: number, action: () => Promise<unknown>) => void scheduled.push({ at, action }),
  };
};

/** The event store with another `append`: a slow store, a concurrent command. */
const withAppend = (inner: EventStore, append: EventStore['append']): EventStore =>
  new Proxy(inner, {
    get: (target, property, receiver) =>
      property === 'append' ? append : (Reflect.get(target, property, receiver) as unknown),
  });

const BUSY = {
  status: 503,
  retryAfter: '1',
  body: {
    resourceType: 'OperationOutcome',
    issue: [
      {
        severity: 'error',
        code: 'transient',
        details: {
          coding: [
            { system: NEXO_ERROR_SYSTEM, code: 'NEXO_ERR_UNAVAILABLE', display: 'the hub is not ready' },
          ],
        },
        diagnostics: 'the identity registry is busy; retry the same request.',
      },
    ],
  },
};

/**
 * One deadline for a whole identity command (IDENTITY_COMMAND_DEADLINE_MS): every wait for the read
 * model and every retry after a version conflict fit in it, then the answer is the busy 503 with
 * `Retry-After`. Without it a command could hold its request for as many attempts of 2 s each as it lost.
 */
describe('an identity command has one deadline, whatever the read model and the conflicts', () => {
  let dir: string;
  let events: EventEngine;
  let readStore: ReadStore;
  let app: FastifyInstance | undefined;
  let time: ReturnType<typeof virtualTime>;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nexo-identity-deadline-'));
    events = openSqliteEventStore({ file: join(dir, 'events.sqlite') });
    readStore = openSqliteReadStore({ file: ':memory:' });
    time = virtualTime();
  });
  afterEach(async () => {
    await app?.close();
    await readStore.close();
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const feedOn = async (store: EventStore) => {
    app = Fastify();
    installFhirEdge(app);
    await app.register(
      identityFeedRoutes({
        store,
        readStore,
        clock: () => new Date(),
        newId,
        feedToken: TOKEN,
        timer: time.timer,
      }),
    );
    return app;
  };
  const identify = async (feed: FastifyInstance, id: CitizenId) => {
    const answer = await feed.inject({
      method: 'POST',
      url: '/identity/v1/persons',
      headers: { authorization: `Bearer ${TOKEN}` },
      payload: {
        identifiers: [{ system: `https://saude.gov.br/sid/${id.kind.toLowerCase()}`, value: id.number }],
      },
    });
    return {
      status: answer.statusCode,
      retryAfter: answer.headers['retry-after'],
      body: answer.json<unknown>(),
    };
  };

  const cns: CitizenId = { kind: 'CNS', number: generateCns('provisional', random) };
  /** A concurrent command's identification: the registry stream at version 1. */
  const concurrentIdentification = () =>
    events.store.append(IDENTITY_STREAM, 0, [
      {
        id: newId(),
        type: 'CitizenIdentified',
        schemaVersion: SCHEMA_VERSIONS.CitizenIdentified,
        occurredAt: new Date().toISOString(),
        sender: 'identity-feed',
        citizenKey: `cns:${cns.number}`,
        correlationId: 'concurrent',
        data: { personId: 'person-1', identifiers: [cns], demographics: {} },
      },
    ]);
  /** The projector applying it. */
  const projected = () =>
    readStore.commit([
      {
        kind: 'put',
        collection: COLLECTIONS.persons,
        id: 'person-1',
        expectedRevision: 0,
        body: { personId: 'person-1', identifiers: [cns], demographics: {} },
      },
      {
        kind: 'put',
        collection: COLLECTIONS.identityLinks,
        id: `cns:${cns.number}`,
        expectedRevision: 0,
        body: { citizenKey: `cns:${cns.number}`, personId: 'person-1' },
      },
      {
        kind: 'put',
        collection: COLLECTIONS.identityMeta,
        id: IDENTITY_META_ID,
        expectedRevision: 0,
        body: { version: 1 },
      },
    ]);

  it('is 5 s, more than one full wait for the read model', () => {
    expect(IDENTITY_COMMAND_DEADLINE_MS).toBe(5_000);
    expect(IDENTITY_COMMAND_DEADLINE_MS).toBeGreaterThan(IDENTITY_READ_WAIT_MS);
  });

  it('conflicting on every attempt, the command stops at the deadline with 503 and Retry-After', async () => {
    let appends = 0;
    const feed = await feedOn(
      withAppend(events.store, (stream, expected) => {
        appends += 1;
        // Each attempt takes a second and loses the race to another command.
        time.advance(1_000);
        return Promise.reject(new ConcurrencyError(stream, expected, expected + 1));
      }),
    );
    expect(await identify(feed, { kind: 'CPF', number: generateCpf(random) })).toEqual(BUSY);
    expect({ appends, elapsed: time.now() }).toEqual({ appends: 5, elapsed: IDENTITY_COMMAND_DEADLINE_MS });
    expect(await events.store.streamVersion(IDENTITY_STREAM)).toBe(0);
  });

  it('after a conflict, the wait for the read model uses the time left, not a fresh 2 s', async () => {
    let appends = 0;
    const feed = await feedOn(
      withAppend(events.store, async (stream, expected, batch) => {
        appends += 1;
        // The first attempt takes 4 s and loses to a concurrent identification nobody projects.
        time.advance(4_000);
        await concurrentIdentification();
        return events.store.append(stream, expected, batch);
      }),
    );
    expect(await identify(feed, { kind: 'CPF', number: generateCpf(random) })).toEqual(BUSY);
    // A fresh 2 s wait would have answered at 6 s.
    expect({ appends, elapsed: time.now() }).toEqual({ appends: 1, elapsed: IDENTITY_COMMAND_DEADLINE_MS });
    expect(await events.store.streamVersion(IDENTITY_STREAM)).toBe(1);
  });

  it('a read model that catches up within the time left is waited for, and the command decided', async () => {
    let appends = 0;
    const feed = await feedOn(
      withAppend(events.store, async (stream, expected, batch) => {
        appends += 1;
        if (appends === 1) {
          time.advance(4_000);
          await concurrentIdentification();
          // The projector applies it half a second later, before the deadline.
          time.at(4_500, projected);
        }
        return events.store.append(stream, expected, batch);
      }),
    );
    const answer = await identify(feed, { kind: 'CPF', number: generateCpf(random) });
    expect({ status: answer.status, changed: (answer.body as { changed?: unknown }).changed }).toEqual({
      status: 201,
      changed: true,
    });
    expect(appends).toBe(2);
    expect(time.now()).toBeGreaterThanOrEqual(4_500);
    // Its own change, which nothing projects here, is waited for until the deadline, and answered
    // all the same: it is durable.
    expect(time.now()).toBeLessThanOrEqual(IDENTITY_COMMAND_DEADLINE_MS);
    expect(await events.store.streamVersion(IDENTITY_STREAM)).toBe(2);
  });

  it('a read model that never catches up is waited for 2 s once, then 503 with Retry-After', async () => {
    await concurrentIdentification();
    const feed = await feedOn(events.store);
    expect(await identify(feed, { kind: 'CPF', number: generateCpf(random) })).toEqual(BUSY);
    expect(time.now()).toBe(IDENTITY_READ_WAIT_MS);
    expect(await events.store.streamVersion(IDENTITY_STREAM)).toBe(1);
  });
});

describe('the identity feed with an empty token configured', () => {
  it('opens to nobody, not to a request without a token', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nexo-identity-token-'));
    const events = openSqliteEventStore({ file: join(dir, 'events.sqlite') });
    const readStore = openSqliteReadStore({ file: ':memory:' });
    const app = Fastify();
    installFhirEdge(app);
    await app.register(
      identityFeedRoutes({ store: events.store, readStore, clock: () => new Date(), newId, feedToken: '' }),
    );
    try {
      for (const headers of [{}, { authorization: 'Bearer ' }]) {
        const answer = await app.inject({ method: 'GET', url: '/identity/v1/persons/person-1', headers });
        expect({
          status: answer.statusCode,
          code: answer.json<{ issue: Array<{ details: { coding: Array<{ code: string }> } }> }>().issue[0]
            ?.details.coding[0]?.code,
        }).toEqual({
          status: 401,
          code: 'NEXO_ERR_UNAUTHENTICATED',
        });
      }
    } finally {
      await app.close();
      await readStore.close();
      await events.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
