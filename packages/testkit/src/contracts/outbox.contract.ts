/** The Outbox contract: every appended event waits there until the relay marks it published. */
import { expect, it } from 'vitest';
import type { EventStoreEngine } from '@nexo/eventstore';
import { newEvents } from '../events.ts';
import type { Harness } from './harness.ts';

export const outboxCases = (harness: Harness<EventStoreEngine>): void => {
  it('outbox: holds appended events oldest first until they are marked published', async () => {
    const { engine } = await harness.fresh();
    expect(await engine.outbox.depth()).toBe(0);
    expect(await engine.outbox.pending(10)).toEqual([]);
    const first = await engine.store.append('record-1', 0, newEvents(2));
    const second = await engine.store.append('record-2', 0, newEvents(2));
    const all = [...first.events, ...second.events];
    expect(await engine.outbox.depth()).toBe(4);
    expect(await engine.outbox.pending(10)).toEqual(all);
    expect(await engine.outbox.pending(3)).toEqual(all.slice(0, 3));
    await engine.outbox.markPublished(all.slice(0, 3).map((event) => event.id));
    expect(await engine.outbox.depth()).toBe(1);
    expect(await engine.outbox.pending(10)).toEqual(all.slice(3));
  });

  it('outbox: marking published twice, marking unknown ids or nothing is harmless', async () => {
    const { engine } = await harness.fresh();
    const { events } = await engine.store.append('record-1', 0, newEvents(3));
    const ids = events.map((event) => event.id);
    await engine.outbox.markPublished(ids.slice(0, 2));
    await engine.outbox.markPublished(ids.slice(0, 2));
    await engine.outbox.markPublished(['00000000-0000-7000-8000-000000000000']);
    await engine.outbox.markPublished([]);
    expect(await engine.outbox.depth()).toBe(1);
    expect(await engine.outbox.pending(10)).toEqual(events.slice(2));
    expect(await engine.store.readStream('record-1')).toEqual(events);
  });

  it('outbox: keeps unpublished events across close and reopen', async () => {
    const opened = await harness.fresh();
    const { events } = await opened.engine.store.append('record-1', 0, newEvents(3));
    await opened.engine.outbox.markPublished([events[0]?.id ?? '']);
    const engine = await opened.reopen();
    expect(await engine.outbox.depth()).toBe(2);
    expect(await engine.outbox.pending(10)).toEqual(events.slice(1));
  });
};
