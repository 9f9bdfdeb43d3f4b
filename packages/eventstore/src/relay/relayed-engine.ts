/**
 * An event engine assembled the way the distributed deployment runs: a store with its outbox, the
 * outbox relay, a publisher and the bus that delivers what was published (Kafka, or a second
 * embedded log). Appends in this process nudge the relay; `caughtUp` first waits until the relay
 * has published everything appended before the call, then for the group itself.
 */
import type {
  AppendResult,
  DeadLetter,
  EventBus,
  EventEngine,
  EventPublisher,
  EventStore,
  EventStoreEngine,
  NewEvent,
  Subscription,
} from '../port.ts';
import type { OutboxRelayOptions } from './outbox-relay.ts';
import { OutboxRelay } from './outbox-relay.ts';

export interface RelayedEngineParts {
  /** The store whose outbox feeds the relay (it must be opened with its outbox on). */
  readonly source: EventStoreEngine;
  readonly publisher: EventPublisher;
  readonly bus: EventBus;
  readonly deadLetters: (group: string) => Promise<DeadLetter[]>;
  /** The bus side's count of a group's dead letters (`EventEngine.deadLetterCount`). */
  readonly deadLetterCount: (group: string) => Promise<number>;
  /** The bus side's resolution of a group's dead letters (`EventEngine.resolveDeadLetters`). */
  readonly resolveDeadLetters: (group: string, positions: readonly number[]) => Promise<number>;
  readonly relay?: OutboxRelayOptions;
  /** Releases what the bus side holds beyond the bus and the publisher (e.g. a Kafka admin). */
  readonly release?: () => Promise<void>;
}

export interface RelayedEngine extends EventEngine {
  readonly relay: OutboxRelay;
}

export const relayedEngine = (parts: RelayedEngineParts): RelayedEngine => {
  const { source } = parts;
  const relay = new OutboxRelay(source.outbox, parts.publisher, parts.relay);
  relay.start();

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      await parts.bus.close();
      await relay.stop();
      await parts.publisher.close();
      await parts.release?.();
      await source.close();
    })());

  const store: EventStore = {
    readStream: (stream) => source.store.readStream(stream),
    streamVersion: (stream) => source.store.streamVersion(stream),
    readAll: (afterPosition, limit) => source.store.readAll(afterPosition, limit),
    headPosition: () => source.store.headPosition(),
    append: async (stream: string, expectedVersion: number, events: readonly NewEvent[]) => {
      const result: AppendResult = await source.store.append(stream, expectedVersion, events);
      relay.nudge();
      return result;
    },
    close,
  };

  const bus: EventBus = {
    subscribe: async (group, handler, options): Promise<Subscription> => {
      const subscription = await parts.bus.subscribe(group, handler, options);
      return {
        caughtUp: async () => {
          await relay.drained(await source.store.headPosition());
          await subscription.caughtUp();
        },
        stop: () => subscription.stop(),
      };
    },
    close: () => parts.bus.close(),
  };

  return {
    store,
    outbox: source.outbox,
    bus,
    relay,
    deadLetters: parts.deadLetters,
    deadLetterCount: parts.deadLetterCount,
    resolveDeadLetters: parts.resolveDeadLetters,
    close,
  };
};
