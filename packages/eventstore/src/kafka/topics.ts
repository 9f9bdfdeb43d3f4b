/**
 * The Kafka topics, read from `infra/kafka/topics.json` (versioned names such as
 * `nexo.events.v1`) and created idempotently at start-up: a topic that exists is left as it is.
 */
import { readFileSync } from 'node:fs';
import type { Admin } from 'kafkajs';

export interface KafkaTopicDefinition {
  readonly name: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  readonly config: Readonly<Record<string, string>>;
}

export interface KafkaTopics {
  /** Every appended event, keyed by citizen key. */
  readonly events: KafkaTopicDefinition;
  /** Events a consumer group gave up on, with the group and the reason in headers. */
  readonly deadLetters: KafkaTopicDefinition;
}

export const KAFKA_TOPIC_FILE = new URL('../../../../infra/kafka/topics.json', import.meta.url);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const asTopic = (value: unknown, role: string): KafkaTopicDefinition => {
  if (!isRecord(value) || typeof value.name !== 'string' || value.name === '') {
    throw new TypeError(`topic "${role}" needs a name`);
  }
  const { name, partitions, replicationFactor, config = {} } = value;
  if (!Number.isSafeInteger(partitions) || (partitions as number) < 1) {
    throw new TypeError(`topic ${name}: partitions must be an integer ≥ 1`);
  }
  if (!Number.isSafeInteger(replicationFactor) || (replicationFactor as number) < 1) {
    throw new TypeError(`topic ${name}: replicationFactor must be an integer ≥ 1`);
  }
  if (!isRecord(config) || Object.values(config).some((entry) => typeof entry !== 'string')) {
    throw new TypeError(`topic ${name}: config must map names to strings`);
  }
  return {
    name,
    partitions: partitions as number,
    replicationFactor: replicationFactor as number,
    config: config as Record<string, string>,
  };
};

export const loadKafkaTopics = (file: URL = KAFKA_TOPIC_FILE): KafkaTopics => {
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!isRecord(parsed)) throw new TypeError(`${file.pathname} must hold an object`);
  return {
    events: asTopic(parsed.events, 'events'),
    deadLetters: asTopic(parsed.deadLetters, 'deadLetters'),
  };
};

/** The same topics under a prefix: isolated topics for a test, or one environment sharing a cluster. */
export const prefixTopics = (topics: KafkaTopics, prefix: string): KafkaTopics => ({
  events: { ...topics.events, name: `${prefix}${topics.events.name}` },
  deadLetters: { ...topics.deadLetters, name: `${prefix}${topics.deadLetters.name}` },
});

const TOPIC_ALREADY_EXISTS = 'TOPIC_ALREADY_EXISTS';

const alreadyExists = (error: unknown): boolean => {
  if (typeof error !== 'object' || error === null) return false;
  const { type, errors } = error as { type?: unknown; errors?: unknown };
  if (type === TOPIC_ALREADY_EXISTS) return true;
  return Array.isArray(errors) && errors.length > 0 && errors.every((e) => alreadyExists(e));
};

/** Creates the topics that are missing and waits for their leaders; existing ones are kept as they are. */
export const ensureKafkaTopics = async (admin: Admin, topics: KafkaTopics): Promise<void> => {
  const existing = new Set(await admin.listTopics());
  const missing = [topics.events, topics.deadLetters].filter((topic) => !existing.has(topic.name));
  if (missing.length === 0) return;
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({
        topic: topic.name,
        numPartitions: topic.partitions,
        replicationFactor: topic.replicationFactor,
        configEntries: Object.entries(topic.config).map(([name, value]) => ({ name, value })),
      })),
    });
  } catch (error) {
    // Another service created them between listTopics and createTopics.
    if (!alreadyExists(error)) throw error;
  }
};
