/** Concurrent appends: exactly one winner per expected version, streams gap-free, the log ordered. */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { AppendResult, EventStoreEngine, NewEvent } from '@nexo/eventstore';
import { EVENTSTORE_ERRORS } from '@nexo/eventstore';
import { newEvents } from '../events.ts';
import type { Harness } from './harness.ts';

interface Attempt {
  readonly stream: string;
  readonly expectedVersion: number;
  readonly events: NewEvent[];
}

const settle = (engine: EventStoreEngine, attempts: readonly Attempt[]) =>
  Promise.allSettled(attempts.map((a) => engine.store.append(a.stream, a.expectedVersion, a.events)));

const codeOf = (reason: unknown): unknown =>
  typeof reason === 'object' && reason !== null ? (reason as { code?: unknown }).code : undefined;

/** One wave of the property: who appends to which stream, and whether their expectation is stale. */
const waveArbitrary = fc.array(
  fc.record({
    stream: fc.integer({ min: 0, max: 2 }),
    count: fc.integer({ min: 1, max: 3 }),
    stale: fc.boolean(),
  }),
  { minLength: 1, maxLength: 6 },
);

export const concurrentAppendCases = (harness: Harness<EventStoreEngine>): void => {
  it('lets exactly one of several concurrent appends with the same expected version win', async () => {
    const { engine } = await harness.fresh();
    await engine.store.append('record-1', 0, newEvents(1));
    const attempts = Array.from({ length: 5 }, () => ({
      stream: 'record-1',
      expectedVersion: 1,
      events: newEvents(2),
    }));
    const outcomes = await settle(engine, attempts);
    const winners = outcomes.flatMap((outcome, index) => (outcome.status === 'fulfilled' ? [index] : []));
    expect(winners).toHaveLength(1);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') expect(codeOf(outcome.reason)).toBe(EVENTSTORE_ERRORS.concurrency);
    }
    const winner = attempts[winners[0] ?? -1];
    const stream = await engine.store.readStream('record-1');
    expect(stream.slice(1).map((event) => event.id)).toEqual(winner?.events.map((event) => event.id));
    expect(await engine.outbox.depth()).toBe(3);
  });

  it('keeps streams gap-free and the log ordered under random interleavings of concurrent appends', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(waveArbitrary, { minLength: 1, maxLength: 5 }), async (waves) =>
        harness.scoped(async ({ engine }) => {
          const known = new Map<string, number>();
          const committed = new Map<string, string[]>();
          const rejected = new Set<string>();
          for (const wave of waves) {
            const attempts = wave.map(({ stream, count, stale }): Attempt => {
              const name = `s-${stream}`;
              // A stale caller believes in a version the stream cannot reach within one wave.
              const expectedVersion = (known.get(name) ?? 0) + (stale ? 100 : 0);
              return { stream: name, expectedVersion, events: newEvents(count) };
            });
            const outcomes = await settle(engine, attempts);
            const winners = new Map<string, AppendResult>();
            outcomes.forEach((outcome, index) => {
              const attempt = attempts[index];
              if (attempt === undefined) return;
              if (outcome.status === 'fulfilled') {
                expect(winners.has(attempt.stream)).toBe(false);
                expect(attempt.expectedVersion).toBe(known.get(attempt.stream) ?? 0);
                winners.set(attempt.stream, outcome.value);
                committed.set(attempt.stream, [
                  ...(committed.get(attempt.stream) ?? []),
                  ...attempt.events.map((event) => event.id),
                ]);
              } else {
                expect(codeOf(outcome.reason)).toBe(EVENTSTORE_ERRORS.concurrency);
                for (const event of attempt.events) rejected.add(event.id);
              }
            });
            const hopeful = new Set(attempts.filter((a) => a.expectedVersion === (known.get(a.stream) ?? 0)));
            for (const stream of new Set([...hopeful].map((a) => a.stream))) {
              expect(winners.has(stream)).toBe(true);
            }
            for (const [stream, result] of winners) known.set(stream, result.version);
          }
          const log = await engine.store.readAll(0, 10_000);
          log.forEach((event, index) => {
            if (index > 0) expect(event.position).toBeGreaterThan(log[index - 1]?.position ?? 0);
            expect(rejected.has(event.id)).toBe(false);
          });
          for (const [stream, ids] of committed) {
            const events = await engine.store.readStream(stream);
            expect(events.map((event) => event.id)).toEqual(ids);
            expect(events.map((event) => event.version)).toEqual(ids.map((_, index) => index + 1));
            const fromLog = log.filter((event) => event.stream === stream).map((event) => event.id);
            expect(fromLog).toEqual(ids);
          }
          const total = [...committed.values()].reduce((sum, ids) => sum + ids.length, 0);
          expect(log).toHaveLength(total);
          expect(await engine.outbox.depth()).toBe(total);
        }),
      ),
      { numRuns: 25 },
    );
  });
};
