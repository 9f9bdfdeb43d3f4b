/** The EventBus contract when handlers fail: redelivery, order per citizen key, dead letters. */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { EventEngine, StoredEvent } from '@nexo/eventstore';
import { citizenKey, newEvent } from '../events.ts';
import type { Harness } from './harness.ts';
import { readWholeLog } from './event-store.contract.ts';
import { idsByCitizen, recorder } from './recorder.ts';

const ids = (events: readonly StoredEvent[]): string[] => events.map((event) => event.id);

/** Each append: which citizen, how many events; `together` appends run concurrently. */
const scenario = fc.record({
  appends: fc.array(
    fc.record({
      citizen: fc.integer({ min: 0, max: 3 }),
      count: fc.integer({ min: 1, max: 3 }),
      together: fc.boolean(),
    }),
    { minLength: 1, maxLength: 12 },
  ),
  batchSize: fc.integer({ min: 1, max: 6 }),
  failures: fc.array(fc.boolean(), { maxLength: 40 }),
});

export const busFailureCases = (harness: Harness<EventEngine>): void => {
  it('redelivers a batch whose handler failed, then moves on (at least once)', async () => {
    const { engine } = await harness.fresh();
    const { events } = await engine.store.append('record-1', 0, [newEvent(), newEvent(), newEvent()]);
    const consumer = recorder((_batch, call) => {
      if (call < 2) throw new Error(`transient failure ${call}`);
    });
    const subscription = await engine.bus.subscribe('projector', consumer.handler, { retryDelayMs: 1 });
    await subscription.caughtUp();
    expect(consumer.calls.length).toBeGreaterThanOrEqual(3);
    expect(ids(consumer.calls[1] ?? [])).toEqual(ids(consumer.calls[0] ?? []));
    expect(consumer.acknowledged).toEqual(events);
    expect(await engine.deadLetters('projector')).toEqual([]);
    expect(await engine.deadLetterCount('projector')).toBe(0);
    await subscription.stop();
  });

  it('never dead-letters a batch the store could not take (locked, full): it retries until the store is back', async () => {
    const { engine } = await harness.fresh();
    const { events } = await engine.store.append('record-1', 0, [newEvent(), newEvent()]);
    const unavailable = [
      Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }),
      Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }),
      Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_WRITE' }),
      Object.assign(new Error('connection lost'), { name: 'MongoNetworkError' }),
      Object.assign(new Error('no reader thread'), { statusCode: 503 }),
    ];
    // Twice as many failures as maxAttempts allows for any other error.
    const consumer = recorder((_batch, call) => {
      const failure = unavailable[call % unavailable.length];
      if (call < 6 && failure) throw failure;
    });
    const subscription = await engine.bus.subscribe('projector', consumer.handler, {
      retryDelayMs: 1,
      maxAttempts: 3,
    });
    await subscription.caughtUp();
    expect(consumer.acknowledged).toEqual(events);
    expect(await engine.deadLetters('projector')).toEqual([]);
    await subscription.stop();
  });

  it('keeps order per citizen key under random appends, batch sizes and handler failures', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ appends, batchSize, failures }) =>
        harness.scoped(async ({ engine }) => {
          let stream = 0;
          let pending: Promise<unknown>[] = [];
          for (const { citizen, count, together } of appends) {
            stream += 1;
            const events = Array.from({ length: count }, () => newEvent({ citizenKey: citizenKey(citizen) }));
            pending.push(engine.store.append(`record-${stream}`, 0, events));
            if (!together) {
              await Promise.all(pending);
              pending = [];
            }
          }
          await Promise.all(pending);
          const log = await readWholeLog(engine);
          const consumer = recorder((_batch, call) => {
            if (failures[call] === true) throw new Error(`failure on call ${call}`);
          });
          const subscription = await engine.bus.subscribe('projector', consumer.handler, {
            batchSize,
            maxAttempts: 100,
            retryDelayMs: 0,
          });
          await subscription.caughtUp();
          await subscription.stop();
          expect(consumer.acknowledged).toHaveLength(log.length);
          expect(idsByCitizen(consumer.acknowledged)).toEqual(idsByCitizen(log));
          expect(await engine.deadLetters('projector')).toEqual([]);
        }),
      ),
      { numRuns: 25 },
    );
  });

  it('dead-letters a poison event with its reason after maxAttempts, and the group goes on', async () => {
    const opened = await harness.fresh();
    const { engine } = opened;
    const { events } = await engine.store.append('record-1', 0, [
      newEvent(),
      newEvent(),
      newEvent(),
      newEvent(),
    ]);
    const poison = events[2];
    const consumer = recorder((batch) => {
      if (batch.some((event) => event.id === poison?.id)) throw new Error(`cannot apply ${poison?.id}`);
    });
    const subscription = await engine.bus.subscribe('projector', consumer.handler, {
      batchSize: 10,
      maxAttempts: 3,
      retryDelayMs: 1,
    });
    await subscription.caughtUp();
    const attemptsOnPoison = consumer.calls.filter((batch) => batch.some((event) => event.id === poison?.id));
    expect(attemptsOnPoison.length).toBeGreaterThanOrEqual(3);
    expect(new Set(consumer.acknowledgedIds())).toEqual(new Set(ids(events.filter((e) => e !== poison))));
    const deadLetters = await engine.deadLetters('projector');
    expect(deadLetters).toEqual([
      {
        group: 'projector',
        event: poison,
        reason: expect.stringContaining(`cannot apply ${poison?.id}`) as unknown,
        failedAt: expect.any(String) as unknown,
      },
    ]);
    expect(Number.isNaN(Date.parse(deadLetters[0]?.failedAt ?? ''))).toBe(false);
    expect(await engine.deadLetterCount('projector')).toBe(1);
    expect(await engine.deadLetters('audit')).toEqual([]);

    await engine.store.append('record-2', 0, [newEvent()]);
    await subscription.caughtUp();
    expect(consumer.acknowledged.at(-1)?.stream).toBe('record-2');
    await subscription.stop();
    const reopened = await opened.reopen();
    expect(await reopened.deadLetters('projector')).toEqual(deadLetters);
  });

  it("counts each group's dead letters as many as it lists, before and after a restart", async () => {
    const opened = await harness.fresh();
    expect(await opened.engine.deadLetterCount('projector')).toBe(0);
    const { events } = await opened.engine.store.append('record-1', 0, [
      newEvent(),
      newEvent(),
      newEvent(),
      newEvent(),
    ]);
    const failingOn = (poison: readonly (StoredEvent | undefined)[]) =>
      recorder((batch) => {
        const found = batch.find((event) => poison.some((p) => p?.id === event.id));
        if (found) throw new Error(`cannot apply ${found.id}`);
      });
    const options = { batchSize: 10, maxAttempts: 2, retryDelayMs: 1 };
    const projector = await opened.engine.bus.subscribe(
      'projector',
      failingOn([events[0], events[2]]).handler,
      options,
    );
    const audit = await opened.engine.bus.subscribe('audit', failingOn([events[3]]).handler, options);
    await Promise.all([projector.caughtUp(), audit.caughtUp()]);
    await Promise.all([projector.stop(), audit.stop()]);

    const counts = async (engine: EventEngine) => ({
      projector: await engine.deadLetterCount('projector'),
      audit: await engine.deadLetterCount('audit'),
      none: await engine.deadLetterCount('never-subscribed'),
    });
    expect(await counts(opened.engine)).toEqual({ projector: 2, audit: 1, none: 0 });
    expect((await opened.engine.deadLetters('projector')).map((letter) => letter.event.id)).toEqual(
      ids([events[0], events[2]].filter((event) => event !== undefined)),
    );
    expect(await counts(await opened.reopen())).toEqual({ projector: 2, audit: 1, none: 0 });
  });
};
