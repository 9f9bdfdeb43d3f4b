/**
 * The relay service on embedded engines: a SQLite store with its outbox, the outbox relay, and a
 * second SQLite log standing in for Kafka. Health, readiness and status answers, and the crash
 * window: the publisher acked, the mark failed, so the batch is published again.
 */
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { FastifyInstance } from 'fastify';
import {
  OutboxRelay,
  openEmbeddedTopic,
  openSqliteEventStore,
  type EventPublisher,
  type Outbox,
} from '@nexo/eventstore';
import { configuredServerOptions, createLogger, loadConfig } from '@nexo/runtime';
import { newEvents, recorder, removeTempDir, tempDir, waitFor } from '@nexo/testkit';
import { build, UNREADY_AFTER_FAILURES } from '../src/index.ts';

const start = async (
  wrap: { outbox?: (outbox: Outbox) => Outbox; publisher?: (p: EventPublisher) => EventPublisher } = {},
) => {
  const dir = await tempDir();
  const source = openSqliteEventStore({ file: join(dir, 'events.db'), outbox: true });
  const topic = openEmbeddedTopic({ file: join(dir, 'topic.db'), pollIntervalMs: 20 });
  const outbox = wrap.outbox?.(source.outbox) ?? source.outbox;
  const publisher = wrap.publisher?.(topic.publisher) ?? topic.publisher;
  const relay = new OutboxRelay(outbox, publisher, {
    pollIntervalMs: 10,
    retryDelayMs: 1,
    maxRetryDelayMs: 2,
  });
  relay.start();
  const app: FastifyInstance = await build({
    relay,
    outbox: source.outbox,
    logger: createLogger({ level: 'silent', name: 'test' }),
    serverOptions: configuredServerOptions(loadConfig({}).security),
  });
  onTestFinished(async () => {
    await app.close();
    await relay.stop();
    await topic.close();
    await source.close();
    await removeTempDir(dir);
  });
  return { source, topic, relay, app };
};

describe('relay service', () => {
  it('answers health, readiness and status once the outbox is drained', async () => {
    const { source, relay, app } = await start();
    await source.store.append('record-1', 0, newEvents(3));
    await relay.drained(await source.store.headPosition());
    const health = await app.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ status: 'pass' });
    const ready = await app.inject({ method: 'GET', url: '/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'pass', checks: { outbox: 'pass', relay: 'pass' } });
    const status = await app.inject({ method: 'GET', url: '/relay/v1/status' });
    expect(status.statusCode).toBe(200);
    expect(status.json()).toEqual({
      running: true,
      published: 3,
      outboxDepth: 0,
      consecutiveFailures: 0,
      lastSuccessAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown,
    });
  });

  it('stops being ready while the publisher keeps failing, without losing the waiting events', async () => {
    let down = true;
    const { source, relay, app } = await start({
      publisher: (target) => ({
        publish: async (events) => {
          if (down) throw new Error('kafka:9092 unreachable');
          await target.publish(events);
        },
        close: () => target.close(),
      }),
    });
    await source.store.append('record-1', 0, newEvents(2));
    await waitFor('repeated failures', () => relay.status().consecutiveFailures >= UNREADY_AFTER_FAILURES);
    const ready = await app.inject({ method: 'GET', url: '/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.headers['content-type']).toMatch(/^application\/fhir\+json/);
    expect(ready.body).not.toContain('kafka:9092');
    expect(ready.json()).toMatchObject({
      resourceType: 'OperationOutcome',
      issue: [{ details: { coding: [{ code: 'NEXO_ERR_UNAVAILABLE' }] } }],
    });
    const status = await app.inject({ method: 'GET', url: '/relay/v1/status' });
    expect(status.json()).toMatchObject({ published: 0, outboxDepth: 2 });
    expect(status.body).not.toContain('kafka:9092');
    down = false;
    await relay.drained(await source.store.headPosition());
    expect((await app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
  });

  it('publishes a batch again when marking it failed after the ack, and consumers see it twice', async () => {
    let marks = 0;
    const { source, topic, relay } = await start({
      outbox: (outbox) => ({
        pending: (limit) => outbox.pending(limit),
        depth: () => outbox.depth(),
        markPublished: async (ids) => {
          marks += 1;
          if (marks === 1) throw new Error('the store went away between the ack and the mark');
          await outbox.markPublished(ids);
        },
      }),
    });
    const { events } = await source.store.append('record-1', 0, newEvents(2));
    await relay.drained(await source.store.headPosition());
    expect(await topic.deliveries()).toBe(4);
    expect(await source.outbox.depth()).toBe(0);
    const consumer = recorder();
    const subscription = await topic.bus.subscribe('projector', consumer.handler);
    await subscription.caughtUp();
    expect(consumer.acknowledged).toEqual([...events, ...events]);
    await subscription.stop();
  });
});
