/** Connection settings shared by the Kafka publisher and bus. */
import { Kafka, logLevel } from 'kafkajs';
import type { KafkaTopics } from './topics.ts';
import { loadKafkaTopics } from './topics.ts';

export interface KafkaOptions {
  /** `host:port` of one or more brokers (`KAFKA_BROKERS`). */
  readonly brokers: readonly string[];
  /** Names this process in broker logs (default `nexo`). */
  readonly clientId?: string;
  /** Topics to use (default: `infra/kafka/topics.json`). */
  readonly topics?: KafkaTopics;
  /** Prefix of every consumer group id (default `nexo.`): group `projector` is `nexo.projector`. */
  readonly groupPrefix?: string;
}

export interface KafkaSettings {
  readonly kafka: Kafka;
  readonly topics: KafkaTopics;
  readonly groupPrefix: string;
}

export const KAFKA_DEFAULTS = {
  clientId: 'nexo',
  groupPrefix: 'nexo.',
} as const;

export const kafkaSettings = (options: KafkaOptions): KafkaSettings => {
  if (options.brokers.length === 0) throw new RangeError('Kafka needs at least one broker');
  return {
    kafka: new Kafka({
      clientId: options.clientId ?? KAFKA_DEFAULTS.clientId,
      brokers: [...options.brokers],
      logLevel: logLevel.ERROR,
      retry: { initialRetryTime: 100, retries: 8 },
    }),
    topics: options.topics ?? loadKafkaTopics(),
    groupPrefix: options.groupPrefix ?? KAFKA_DEFAULTS.groupPrefix,
  };
};
