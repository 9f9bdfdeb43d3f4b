/** The EventEngine contract for resolving dead letters: what a replay does once it applied them. */
import { expect, it } from 'vitest';
import type { EventEngine, StoredEvent } from '@nexo/eventstore';
import { newEvent } from '../events.ts';
import type { Harness } from './harness.ts';
import { recorder } from './recorder.ts';

const positions = (events: readonly (StoredEvent | undefined)[]): number[] =>
  events.flatMap((event) => (event === undefined ? [] : [event.position]));

/** Runs `group` over the log once, failing for good on the `poison` events: each becomes a dead letter. */
const deadLetter = async (
  engine: EventEngine,
  group: string,
  poison: readonly (StoredEvent | undefined)[],
): Promise<void> => {
  const ids = new Set(poison.map((event) => event?.id));
  const consumer = recorder((batch) => {
    const found = batch.find((event) => ids.has(event.id));
    if (found) throw new Error(`cannot apply ${found.id}`);
  });
  const subscription = await engine.bus.subscribe(group, consumer.handler, {
    batchSize: 10,
    maxAttempts: 2,
    retryDelayMs: 1,
  });
  await subscription.caughtUp();
  await subscription.stop();
};

const listed = async (engine: EventEngine, group: string): Promise<number[]> =>
  (await engine.deadLetters(group)).map((letter) => letter.event.position);

export const deadLetterResolutionCases = (harness: Harness<EventEngine>): void => {
  it('resolves the dead letters at the given positions: they leave the listing and the count for good, other groups keep theirs', async () => {
    const opened = await harness.fresh();
    const { events } = await opened.engine.store.append('record-1', 0, [
      newEvent(),
      newEvent(),
      newEvent(),
      newEvent(),
    ]);
    await deadLetter(opened.engine, 'projector', [events[0], events[2]]);
    await deadLetter(opened.engine, 'audit', [events[2]]);
    // Counted once before the resolution: a count that reads only what is new must see it too.
    expect(await opened.engine.deadLetterCount('projector')).toBe(2);

    const [first, second, third] = positions(events);
    const resolved = await opened.engine.resolveDeadLetters('projector', [
      third ?? 0,
      second ?? 0, // applied by the group: no dead letter
      10_000, // no such event
    ]);
    expect(resolved).toBe(1);
    expect(await listed(opened.engine, 'projector')).toEqual([first]);
    expect(await opened.engine.deadLetterCount('projector')).toBe(1);
    expect(await listed(opened.engine, 'audit')).toEqual([third]);
    expect(await opened.engine.deadLetterCount('audit')).toBe(1);

    // Resolving again, or nothing, changes nothing.
    expect(await opened.engine.resolveDeadLetters('projector', [third ?? 0])).toBe(0);
    expect(await opened.engine.resolveDeadLetters('projector', [])).toBe(0);
    expect(await opened.engine.resolveDeadLetters('never-subscribed', [first ?? 0])).toBe(0);
    expect(await opened.engine.deadLetterCount('projector')).toBe(1);

    const reopened = await opened.reopen();
    expect(await reopened.deadLetterCount('projector')).toBe(1);
    expect(await listed(reopened, 'projector')).toEqual([first]);
    expect(await reopened.resolveDeadLetters('projector', [first ?? 0])).toBe(1);
    expect(await reopened.deadLetterCount('projector')).toBe(0);
    expect(await reopened.deadLetters('projector')).toEqual([]);
    expect(await reopened.deadLetterCount('audit')).toBe(1);
  });

  it('counts a dead letter that comes after a resolution, and keeps the group going', async () => {
    const { engine } = await harness.fresh();
    const { events } = await engine.store.append('record-1', 0, [newEvent(), newEvent()]);
    await deadLetter(engine, 'projector', [events[0]]);
    expect(await engine.resolveDeadLetters('projector', positions([events[0]]))).toBe(1);
    expect(await engine.deadLetterCount('projector')).toBe(0);

    const later = await engine.store.append('record-2', 0, [newEvent(), newEvent()]);
    await deadLetter(engine, 'projector', [later.events[1]]);
    expect(await engine.deadLetterCount('projector')).toBe(1);
    expect(await listed(engine, 'projector')).toEqual(positions([later.events[1]]));
  });
};
