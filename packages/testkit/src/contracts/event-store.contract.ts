/** The EventStore contract every engine passes: streams, optimistic concurrency, the global log. */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { EventStoreEngine, NewEvent, StoredEvent } from '@nexo/eventstore';
import { EVENTSTORE_ERRORS } from '@nexo/eventstore';
import { newEvent, newEvents } from '../events.ts';
import type { EventStoreEngineFactory } from './harness.ts';
import { contractSuite } from './harness.ts';
import { outboxCases } from './outbox.contract.ts';
import { concurrentAppendCases } from './event-store-concurrency.contract.ts';
import { streamVersionCases } from './stream-version.contract.ts';

/** What a stored event must look like, given the event that was appended. */
export const storedFrom = (event: NewEvent, stream: string, version: number) => ({
  ...event,
  stream,
  version,
  position: expect.any(Number) as unknown,
  recordedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/) as unknown,
});

const positions = (events: readonly StoredEvent[]): number[] => events.map((event) => event.position);

const expectStrictlyIncreasing = (values: readonly number[]): void => {
  values.forEach((value, index) => {
    if (index > 0) expect(value).toBeGreaterThan(values[index - 1] ?? Number.NEGATIVE_INFINITY);
  });
};

/** Reads the whole log in pages of `limit`. */
export const readWholeLog = async (engine: EventStoreEngine, limit = 1_000): Promise<StoredEvent[]> => {
  const all: StoredEvent[] = [];
  for (;;) {
    const page = await engine.store.readAll(all.at(-1)?.position ?? 0, limit);
    all.push(...page);
    if (page.length < limit) return all;
  }
};

export const eventStoreContract = (name: string, factory: EventStoreEngineFactory): void => {
  contractSuite(`${name}: event store contract`, factory, (harness) => {
    it('appends to a new stream with expected version 0, numbering versions from 1', async () => {
      const { engine } = await harness.fresh();
      const events = newEvents(3, { data: { dose: 1, lot: 'AB12', tags: ['x', null], ok: true } });
      const result = await engine.store.append('record-1', 0, events);
      expect(result).toEqual({
        version: 3,
        events: events.map((event, index) => storedFrom(event, 'record-1', index + 1)),
      });
      expectStrictlyIncreasing(positions(result.events));
      expect(await engine.store.readStream('record-1')).toEqual(result.events);
      expect(await engine.store.headPosition()).toBe(result.events.at(-1)?.position);
    });

    it('starts empty: head position 0, no events, unknown streams read as empty', async () => {
      const { engine } = await harness.fresh();
      expect(await engine.store.headPosition()).toBe(0);
      expect(await engine.store.readAll(0, 10)).toEqual([]);
      expect(await engine.store.readStream('nobody')).toEqual([]);
    });

    it('rejects a stale expected version with NEXO_ERR_CONCURRENCY and writes nothing', async () => {
      const { engine } = await harness.fresh();
      await engine.store.append('record-1', 0, [newEvent()]);
      const head = await engine.store.headPosition();
      const depth = await engine.outbox.depth();
      for (const expectedVersion of [0, 2, 7]) {
        await expect(engine.store.append('record-1', expectedVersion, newEvents(2))).rejects.toMatchObject({
          code: EVENTSTORE_ERRORS.concurrency,
          stream: 'record-1',
          expectedVersion,
          actualVersion: 1,
        });
      }
      await expect(engine.store.append('record-new', 1, [newEvent()])).rejects.toMatchObject({
        code: EVENTSTORE_ERRORS.concurrency,
        actualVersion: 0,
      });
      expect(await engine.store.readStream('record-1')).toHaveLength(1);
      expect(await engine.store.readStream('record-new')).toEqual([]);
      expect(await engine.store.headPosition()).toBe(head);
      expect(await engine.outbox.depth()).toBe(depth);
    });

    it('appends several events atomically: a failing event leaves none of its append behind', async () => {
      const { engine } = await harness.fresh();
      const existing = newEvent();
      await engine.store.append('record-1', 0, [existing]);
      const head = await engine.store.headPosition();
      const doomed = [newEvent(), newEvent({ id: existing.id }), newEvent()];
      await expect(engine.store.append('record-2', 0, doomed)).rejects.toThrow();
      expect(await engine.store.readStream('record-2')).toEqual([]);
      expect(await engine.store.headPosition()).toBe(head);
      expect(await engine.outbox.depth()).toBe(1);
      const retried = await engine.store.append('record-2', 0, newEvents(2));
      expect(retried.events.map((event) => event.version)).toEqual([1, 2]);
    });

    it('reads a stream in version order, whatever else was appended in between', async () => {
      const { engine } = await harness.fresh();
      const a = newEvents(4);
      const b = newEvents(3);
      let versionA = 0;
      let versionB = 0;
      for (let i = 0; i < 4; i += 1) {
        versionA = (await engine.store.append('a', versionA, [a[i] ?? newEvent()])).version;
        if (i < 3) versionB = (await engine.store.append('b', versionB, [b[i] ?? newEvent()])).version;
      }
      const streamA = await engine.store.readStream('a');
      expect(streamA).toEqual(a.map((event, index) => storedFrom(event, 'a', index + 1)));
      expectStrictlyIncreasing(positions(streamA));
      expect((await engine.store.readStream('b')).map((event) => event.id)).toEqual(
        b.map((event) => event.id),
      );
    });

    it('reads the global log in commit order, page by page, each event exactly once', async () => {
      const { engine } = await harness.fresh();
      const appended: StoredEvent[] = [];
      for (let i = 0; i < 5; i += 1) {
        const result = await engine.store.append(`s-${i % 2}`, Math.floor(i / 2) * 2, newEvents(2));
        appended.push(...result.events);
      }
      const whole = await engine.store.readAll(0, 100);
      expect(whole).toEqual(appended);
      expectStrictlyIncreasing(positions(whole));
      for (const limit of [1, 3, 4, 10]) expect(await readWholeLog(engine, limit)).toEqual(whole);
      const middle = whole[3]?.position ?? 0;
      expect(await engine.store.readAll(middle, 2)).toEqual(whole.slice(4, 6));
      const head = await engine.store.headPosition();
      expect(head).toBe(whole.at(-1)?.position);
      expect(await engine.store.readAll(head, 10)).toEqual([]);
    });

    it('keeps every committed event across close and reopen, and carries on after them', async () => {
      const opened = await harness.fresh();
      await opened.engine.store.append('record-1', 0, newEvents(2));
      await opened.engine.store.append('record-2', 0, newEvents(1));
      const before = await readWholeLog(opened.engine);
      const head = await opened.engine.store.headPosition();
      const engine = await opened.reopen();
      expect(await readWholeLog(engine)).toEqual(before);
      expect(await engine.store.headPosition()).toBe(head);
      await expect(engine.store.append('record-1', 1, [newEvent()])).rejects.toMatchObject({
        code: EVENTSTORE_ERRORS.concurrency,
      });
      const next = await engine.store.append('record-1', 2, [newEvent()]);
      expect(next.version).toBe(3);
      expect(next.events[0]?.position).toBeGreaterThan(head);
    });

    it('closes idempotently', async () => {
      const { engine } = await harness.fresh();
      await engine.store.append('record-1', 0, [newEvent()]);
      await engine.close();
      await engine.close();
    });

    it('round-trips event data of any JSON shape', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.jsonValue(), { minLength: 1, maxLength: 5 }), async (values) =>
          harness.scoped(async ({ engine }) => {
            const events = values.map((data) =>
              newEvent({ data: JSON.parse(JSON.stringify(data)) as unknown }),
            );
            await engine.store.append('json', 0, events);
            const stored = await engine.store.readStream('json');
            expect(stored.map((event) => event.data)).toEqual(events.map((event) => event.data));
          }),
        ),
        { numRuns: 15 },
      );
    });

    concurrentAppendCases(harness);
    streamVersionCases(harness);
    outboxCases(harness);
  });
};
