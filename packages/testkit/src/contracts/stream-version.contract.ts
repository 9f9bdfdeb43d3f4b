/** A stream's version without reading it: what readers compare a view's applied version with. */
import { expect, it } from 'vitest';
import type { EventStoreEngine } from '@nexo/eventstore';
import { EVENTSTORE_ERRORS } from '@nexo/eventstore';
import { newEvent, newEvents } from '../events.ts';
import type { EventStoreEngineFactory, Harness } from './harness.ts';
import { contractSuite } from './harness.ts';

export const streamVersionCases = (harness: Harness<EventStoreEngine>): void => {
  it('gives a stream’s version without reading it: 0 before its first event, then its last event’s', async () => {
    const { engine } = await harness.fresh();
    expect(await engine.store.streamVersion('identity')).toBe(0);
    expect((await engine.store.append('identity', 0, newEvents(3))).version).toBe(3);
    await engine.store.append('other', 0, newEvents(5));
    expect(await engine.store.streamVersion('identity')).toBe(3);
    expect(await engine.store.streamVersion('other')).toBe(5);
    expect(await engine.store.streamVersion('nobody')).toBe(0);
    const next = await engine.store.append('identity', 3, [newEvent()]);
    expect(await engine.store.streamVersion('identity')).toBe(next.version);
    expect(next.version).toBe(4);
  });

  it('a stream’s version moves only with what is committed: a refused append leaves it, a restart keeps it', async () => {
    const opened = await harness.fresh();
    await opened.engine.store.append('identity', 0, newEvents(2));
    await expect(opened.engine.store.append('identity', 1, newEvents(2))).rejects.toMatchObject({
      code: EVENTSTORE_ERRORS.concurrency,
    });
    expect(await opened.engine.store.streamVersion('identity')).toBe(2);
    const engine = await opened.reopen();
    expect(await engine.store.streamVersion('identity')).toBe(2);
    expect(await engine.store.streamVersion('identity')).toBe(
      (await engine.store.readStream('identity')).length,
    );
  });
};

/**
 * The stream-version cases alone, for an engine whose store wraps another's (the relayed engine):
 * the full event store contract also checks the outbox, which a running relay drains.
 */
export const streamVersionContract = (name: string, factory: EventStoreEngineFactory): void =>
  contractSuite(`${name}: stream version`, factory, streamVersionCases);
