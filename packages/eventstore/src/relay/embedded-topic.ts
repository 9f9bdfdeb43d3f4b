/**
 * An embedded stand-in for a Kafka topic, built from a second SQLite event log: the publisher
 * appends every delivery as a new entry (a republished event is appended again, as Kafka keeps a
 * resend), and the bus hands consumers the original events, duplicates included. It lets the
 * relay's crash window be tested end to end with real engines on a machine without Kafka.
 */
import { randomUUID } from 'node:crypto';
import type { DeadLetter, EventBus, EventPublisher, NewEvent, StoredEvent } from '../port.ts';
import { openSqliteEventStore } from '../sqlite/engine.ts';
import { asStoredEvent } from '../stored-event-codec.ts';

export interface EmbeddedTopicOptions {
  /** The topic's own SQLite file (not the source store's). */
  readonly file: string;
  readonly pollIntervalMs?: number;
}

export interface EmbeddedTopic {
  readonly publisher: EventPublisher;
  readonly bus: EventBus;
  deadLetters(group: string): Promise<DeadLetter[]>;
  deadLetterCount(group: string): Promise<number>;
  /** Resolves the dead letters of the original events at these positions (`EventEngine.resolveDeadLetters`). */
  resolveDeadLetters(group: string, positions: readonly number[]): Promise<number>;
  /** How many deliveries the topic holds, duplicates included. */
  deliveries(): Promise<number>;
  close(): Promise<void>;
}

/** One delivery of `event`: a fresh entry whose data is the original event. */
const delivery = (event: StoredEvent): NewEvent => ({
  id: randomUUID(),
  type: event.type,
  schemaVersion: event.schemaVersion,
  occurredAt: event.occurredAt,
  sender: event.sender,
  citizenKey: event.citizenKey,
  correlationId: event.correlationId,
  data: event,
});

const original = (entry: StoredEvent): StoredEvent => asStoredEvent(entry.data);

export const openEmbeddedTopic = (options: EmbeddedTopicOptions): EmbeddedTopic => {
  const log = openSqliteEventStore({
    file: options.file,
    outbox: false,
    ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }),
  });
  return {
    publisher: {
      // One append per publish: the batch is accepted whole, in order, or not at all.
      publish: async (events) => {
        if (events.length > 0) await log.store.append(`delivery-${randomUUID()}`, 0, events.map(delivery));
      },
      close: async () => undefined,
    },
    bus: {
      subscribe: (group, handler, subscribeOptions) =>
        log.bus.subscribe(
          group,
          (entries, context) => handler(entries.map(original), context),
          subscribeOptions,
        ),
      close: () => log.bus.close(),
    },
    deadLetters: async (group) =>
      (await log.deadLetters(group)).map((letter) => ({ ...letter, event: original(letter.event) })),
    deadLetterCount: (group) => log.deadLetterCount(group),
    // The topic's letters are its own entries: resolve the entries that carried those events.
    resolveDeadLetters: async (group, positions) => {
      const wanted = new Set(positions);
      const entries = (await log.deadLetters(group))
        .filter((letter) => wanted.has(original(letter.event).position))
        .map((letter) => letter.event.position);
      return entries.length === 0 ? 0 : log.resolveDeadLetters(group, entries);
    },
    deliveries: () => log.store.headPosition(),
    close: () => log.close(),
  };
};
