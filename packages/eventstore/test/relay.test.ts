/** The outbox relay: publish, then mark; a failure on either side is retried, never lost. */
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { newEvents, recorder, removeTempDir, sleep, tempDir, waitFor } from '@nexo/testkit';
import type { EventPublisher, Outbox, StoredEvent } from '../src/index.ts';
import { OutboxRelay, openEmbeddedTopic, openSqliteEventStore } from '../src/index.ts';

const openPipeline = async () => {
  const dir = await tempDir();
  const source = openSqliteEventStore({ file: join(dir, 'events.db'), pollIntervalMs: 20 });
  const topic = openEmbeddedTopic({ file: join(dir, 'topic.db'), pollIntervalMs: 20 });
  const relays: OutboxRelay[] = [];
  const relay = (outbox: Outbox, publisher: EventPublisher, batchSize = 500): OutboxRelay => {
    const started = new OutboxRelay(outbox, publisher, { pollIntervalMs: 10, retryDelayMs: 1, batchSize });
    relays.push(started);
    started.start();
    return started;
  };
  onTestFinished(async () => {
    for (const started of relays) await started.stop();
    await topic.close();
    await source.close();
    await removeTempDir(dir);
  });
  return { source, topic, relay };
};

/** A publisher that records each batch and fails while `failing()` says so. */
const recordingPublisher = (target: EventPublisher, failing: () => boolean = () => false) => {
  const batches: StoredEvent[][] = [];
  const publisher: EventPublisher = {
    publish: async (events) => {
      if (failing()) throw new Error('broker unavailable');
      await target.publish(events);
      batches.push([...events]);
    },
    close: async () => undefined,
  };
  return { publisher, batches };
};

describe('outbox relay', () => {
  it('publishes in position order, in batches no larger than batchSize, then empties the outbox', async () => {
    const { source, topic, relay } = await openPipeline();
    const appended: StoredEvent[] = [];
    for (let i = 0; i < 5; i += 1)
      appended.push(...(await source.store.append(`r-${i}`, 0, newEvents(1))).events);
    const { publisher, batches } = recordingPublisher(topic.publisher);
    const started = relay(source.outbox, publisher, 2);
    await started.drained(await source.store.headPosition());
    expect(batches.map((batch) => batch.length)).toEqual([2, 2, 1]);
    expect(batches.flat()).toEqual(appended);
    expect(await source.outbox.depth()).toBe(0);
    expect(await topic.deliveries()).toBe(5);
    expect(started.status()).toMatchObject({ running: true, published: 5, consecutiveFailures: 0 });
  });

  it('keeps events in the outbox while the publisher fails, and publishes them once it recovers', async () => {
    const { source, topic, relay } = await openPipeline();
    const { events } = await source.store.append('r-1', 0, newEvents(3));
    let down = true;
    const { publisher } = recordingPublisher(topic.publisher, () => down);
    const started = relay(source.outbox, publisher);
    await waitFor('failed attempts', () => started.status().consecutiveFailures >= 3);
    expect(started.status().lastError).toBe('publish: broker unavailable');
    expect(await source.outbox.pending(10)).toEqual(events);
    expect(await topic.deliveries()).toBe(0);
    down = false;
    await started.drained(await source.store.headPosition());
    expect(await topic.deliveries()).toBe(3);
    expect(started.status()).toMatchObject({ consecutiveFailures: 0, published: 3 });
  });

  it('republishes after a failed mark (the crash window) and consumers see each event again', async () => {
    const { source, topic, relay } = await openPipeline();
    const { events } = await source.store.append('r-1', 0, newEvents(2));
    let marks = 0;
    const flaky: Outbox = {
      pending: (limit) => source.outbox.pending(limit),
      depth: () => source.outbox.depth(),
      markPublished: async (ids) => {
        marks += 1;
        if (marks === 1) throw new Error('connection reset after the publisher acked');
        await source.outbox.markPublished(ids);
      },
    };
    const started = relay(flaky, topic.publisher);
    await started.drained(await source.store.headPosition());
    expect(await topic.deliveries()).toBe(4);
    expect(started.status().published).toBe(2);

    // A consumer idempotent per stream version applies each event once.
    const applied = new Map<string, number>();
    const consumer = recorder((batch) => {
      for (const event of batch) {
        if (event.version > (applied.get(event.stream) ?? 0)) applied.set(event.stream, event.version);
      }
    });
    const subscription = await topic.bus.subscribe('projector', consumer.handler);
    await subscription.caughtUp();
    expect(consumer.acknowledgedIds()).toEqual([...events, ...events].map((event) => event.id));
    expect(consumer.acknowledged).toEqual([...events, ...events]);
    expect(applied).toEqual(new Map([['r-1', 2]]));
    await subscription.stop();
  });

  it('wakes at once when nudged, and refuses to wait for a drain once stopped', async () => {
    const { source, topic, relay } = await openPipeline();
    const started = new OutboxRelay(source.outbox, topic.publisher, { pollIntervalMs: 60_000 });
    started.start();
    await sleep(20);
    await source.store.append('r-1', 0, newEvents(1));
    started.nudge();
    await waitFor('the nudged relay', () => started.status().published === 1, 2_000);
    await started.stop();
    await source.store.append('r-2', 0, newEvents(1));
    await expect(started.drained(await source.store.headPosition())).rejects.toThrow('not running');
    expect(started.status().running).toBe(false);
    expect(() => relay(source.outbox, topic.publisher, 0)).toThrow(RangeError);
  });
});
