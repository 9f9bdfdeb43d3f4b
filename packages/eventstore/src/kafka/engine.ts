/**
 * An event engine as the distributed deployment runs it, in one process: a store with its outbox
 * (MongoDB, or SQLite opened with its outbox on), the outbox relay publishing to Kafka, and the
 * Kafka bus. The deployed services split it: ingest appends, `services/relay` relays, the
 * projector consumes.
 */
import type { EventPublisher, EventStoreEngine } from '../port.ts';
import type { OutboxRelayOptions } from '../relay/outbox-relay.ts';
import type { RelayedEngine } from '../relay/relayed-engine.ts';
import { relayedEngine } from '../relay/relayed-engine.ts';
import { openKafkaBus } from './bus.ts';
import type { KafkaOptions } from './client.ts';
import { openKafkaPublisher } from './publisher.ts';

export interface KafkaEngineOptions {
  readonly source: EventStoreEngine;
  readonly kafka: KafkaOptions;
  readonly relay?: OutboxRelayOptions;
}

export const openKafkaEngine = async (options: KafkaEngineOptions): Promise<RelayedEngine> => {
  let publisher: EventPublisher | undefined;
  try {
    publisher = await openKafkaPublisher(options.kafka);
    const bus = await openKafkaBus(options.kafka);
    return relayedEngine({
      source: options.source,
      publisher,
      bus,
      deadLetters: (group) => bus.deadLetters(group),
      deadLetterCount: (group) => bus.deadLetterCount(group),
      resolveDeadLetters: (group, positions) => bus.resolveDeadLetters(group, positions),
      ...(options.relay === undefined ? {} : { relay: options.relay }),
    });
  } catch (error) {
    await publisher?.close();
    throw error;
  }
};
