/** The EventBus contract: consumer groups, ordered delivery, durable checkpoints, caughtUp. */
import { expect, it } from 'vitest';
import type { EventEngine, StoredEvent } from '@nexo/eventstore';
import { citizenKey, newEvent, newEvents } from '../events.ts';
import { busFailureCases } from './event-bus-failures.contract.ts';
import { deadLetterResolutionCases } from './dead-letter-resolution.contract.ts';
import type { EventEngineFactory } from './harness.ts';
import { contractSuite } from './harness.ts';
import { gate, idsByCitizen, recorder, sleep, sortedIds, track, waitFor } from './recorder.ts';

const ids = (events: readonly StoredEvent[]): string[] => events.map((event) => event.id);

/**
 * Appends `count` single-event appends to distinct streams, the citizens taking turns. With one
 * citizen (the default) every engine must deliver them in append order; across citizens only the
 * order per citizen key is promised (Kafka partitions by it).
 */
export const appendSpread = async (
  engine: EventEngine,
  count: number,
  prefix = 'record',
  citizens = 1,
): Promise<StoredEvent[]> => {
  const stored: StoredEvent[] = [];
  for (let i = 0; i < count; i += 1) {
    const result = await engine.store.append(`${prefix}-${i}`, 0, [
      newEvent({ citizenKey: citizenKey(i % citizens) }),
    ]);
    stored.push(...result.events);
  }
  return stored;
};

export const eventBusContract = (name: string, factory: EventEngineFactory): void => {
  contractSuite(`${name}: event bus contract`, factory, (harness) => {
    it('delivers every event once, in order per citizen key, in batches no larger than batchSize', async () => {
      const { engine } = await harness.fresh();
      const before = await appendSpread(engine, 6, 'before', 3);
      const consumer = recorder();
      const subscription = await engine.bus.subscribe('projector', consumer.handler, { batchSize: 2 });
      const after = await appendSpread(engine, 4, 'after', 3);
      await subscription.caughtUp();
      const all = [...before, ...after];
      expect(sortedIds(consumer.acknowledged)).toEqual(sortedIds(all));
      expect(idsByCitizen(consumer.acknowledged)).toEqual(idsByCitizen(all));
      for (const event of consumer.acknowledged) expect(all).toContainEqual(event);
      for (const batch of consumer.calls) expect(batch.length).toBeLessThanOrEqual(2);
      for (const context of consumer.contexts) expect(context).toEqual({ group: 'projector' });
      await subscription.stop();
    });

    it('wakes an idle group for events appended after it caught up', async () => {
      const { engine } = await harness.fresh();
      const consumer = recorder();
      const subscription = await engine.bus.subscribe('projector', consumer.handler);
      await subscription.caughtUp();
      const { events } = await engine.store.append('record-1', 0, newEvents(2));
      await waitFor('the new events', () => consumer.acknowledged.length === 2);
      expect(consumer.acknowledged).toEqual(events);
      await subscription.stop();
    });

    it('keeps consumer groups independent: a stalled group does not hold another back', async () => {
      const { engine } = await harness.fresh();
      const appended = await appendSpread(engine, 4);
      const stall = gate();
      const slow = recorder(() => stall.opened);
      const fast = recorder();
      const slowSubscription = await engine.bus.subscribe('audit', slow.handler, { batchSize: 1 });
      const fastSubscription = await engine.bus.subscribe('projector', fast.handler, { batchSize: 1 });
      await fastSubscription.caughtUp();
      expect(fast.acknowledgedIds()).toEqual(ids(appended));
      expect(slow.acknowledged).toEqual([]);
      stall.open();
      await slowSubscription.caughtUp();
      expect(slow.acknowledgedIds()).toEqual(ids(appended));
      await Promise.all([slowSubscription.stop(), fastSubscription.stop()]);
    });

    it('caughtUp waits for what was committed before the call, and resolves at once when idle', async () => {
      const { engine } = await harness.fresh();
      const idle = await engine.bus.subscribe('empty', recorder().handler);
      await idle.caughtUp();
      await idle.stop();
      await appendSpread(engine, 3);
      const hold = gate();
      const consumer = recorder(() => hold.opened);
      const subscription = await engine.bus.subscribe('projector', consumer.handler);
      const caughtUp = track(subscription.caughtUp());
      await waitFor('the first delivery', () => consumer.calls.length > 0);
      await sleep(50);
      expect(caughtUp.settled()).toBe(false);
      hold.open();
      await subscription.caughtUp();
      expect(consumer.acknowledged).toHaveLength(3);
      await subscription.stop();
    });

    it('resumes from the checkpoint after a restart: acknowledged batches are not delivered again', async () => {
      const opened = await harness.fresh();
      const first = await appendSpread(opened.engine, 3, 'first');
      const early = recorder();
      const subscription = await opened.engine.bus.subscribe('projector', early.handler);
      await subscription.caughtUp();
      await subscription.stop();
      const second = await appendSpread(opened.engine, 2, 'second');
      await sleep(30);
      expect(early.acknowledgedIds()).toEqual(ids(first));

      const engine = await opened.reopen();
      const late = recorder();
      const resumed = await engine.bus.subscribe('projector', late.handler);
      await resumed.caughtUp();
      expect(late.calls.flat().map((event) => event.id)).toEqual(ids(second));
      await resumed.stop();
    });

    it('redelivers after a restart what the group had not acknowledged', async () => {
      const opened = await harness.fresh();
      const acknowledged = await appendSpread(opened.engine, 2, 'acknowledged');
      const first = await opened.engine.bus.subscribe('projector', recorder().handler);
      await first.caughtUp();
      await first.stop();
      const unacknowledged = await appendSpread(opened.engine, 3, 'unacknowledged');
      const failing = recorder(() => {
        throw new Error('projection database unavailable');
      });
      await opened.engine.bus.subscribe('projector', failing.handler, {
        maxAttempts: 1_000,
        retryDelayMs: 5,
      });
      await waitFor('a failed delivery', () => failing.calls.length > 0);
      expect(failing.calls.flat().map((event) => event.id)).not.toContain(acknowledged[0]?.id);

      const engine = await opened.reopen();
      const healthy = recorder();
      const resumed = await engine.bus.subscribe('projector', healthy.handler);
      await resumed.caughtUp();
      expect(healthy.acknowledgedIds()).toEqual(ids(unacknowledged));
      await resumed.stop();
    });

    it('delivers nothing to a stopped subscription', async () => {
      const { engine } = await harness.fresh();
      const consumer = recorder();
      const subscription = await engine.bus.subscribe('projector', consumer.handler);
      await subscription.caughtUp();
      await subscription.stop();
      await appendSpread(engine, 2);
      await sleep(100);
      expect(consumer.calls).toEqual([]);
    });

    busFailureCases(harness);
    deadLetterResolutionCases(harness);
  });
};
