/**
 * The Kafka publisher the relay hands outbox batches to: an idempotent producer (a retried send is
 * written once), acks from all in-sync replicas before `publish` resolves, one request in flight
 * so retries cannot reorder, and every event keyed by its citizen key.
 */
import { Partitioners, type Producer } from 'kafkajs';
import type { EventPublisher } from '../port.ts';
import type { KafkaOptions } from './client.ts';
import { kafkaSettings } from './client.ts';
import { eventMessage } from './messages.ts';
import { ensureKafkaTopics } from './topics.ts';

export const ACKS_ALL = -1;

/**
 * The producer the publisher and the dead-letter path use. Partitions are chosen like the Java
 * client's (murmur2 of the key), so other Kafka tools agree on where a citizen's events are.
 * Retries are bounded (the client's settings): within a send the broker drops a retried duplicate;
 * a send that still fails is reported, the relay leaves the batch in the outbox and sends it again
 * later — which may duplicate it, as any republish does, and consumers deduplicate.
 */
export const idempotentProducer = (settings: ReturnType<typeof kafkaSettings>): Producer =>
  settings.kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });

/** Creates the topics if missing, then connects the producer. */
export const openKafkaPublisher = async (options: KafkaOptions): Promise<EventPublisher> => {
  const settings = kafkaSettings(options);
  const admin = settings.kafka.admin();
  await admin.connect();
  try {
    await ensureKafkaTopics(admin, settings.topics);
  } finally {
    await admin.disconnect();
  }
  const producer = idempotentProducer(settings);
  await producer.connect();
  const topic = settings.topics.events.name;
  return {
    publish: async (events) => {
      if (events.length === 0) return;
      await producer.send({ topic, acks: ACKS_ALL, messages: events.map(eventMessage) });
    },
    close: () => producer.disconnect(),
  };
};
