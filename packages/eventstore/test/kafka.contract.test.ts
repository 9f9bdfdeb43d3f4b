/**
 * The event bus contract on Kafka, fed as the deployment feeds it: a store with its outbox (SQLite
 * here, so only Kafka is needed), the outbox relay and the Kafka publisher. Against KAFKA_BROKERS
 * when set, else a KRaft broker started with testcontainers when Docker answers, else one skipped
 * line saying why.
 */
import { join } from 'node:path';
import { vi } from 'vitest';
import { eventBusContract, kafkaContractFactory, streamVersionContract } from '@nexo/testkit';
import { loadKafkaTopics, openKafkaEngine, openSqliteEventStore, prefixTopics } from '../src/index.ts';

vi.setConfig({ testTimeout: 180_000, hookTimeout: 300_000 });

const topics = loadKafkaTopics();

const factory = await kafkaContractFactory(({ brokers, prefix, dir }) =>
  openKafkaEngine({
    source: openSqliteEventStore({ file: join(dir, 'events.db'), outbox: true }),
    kafka: {
      brokers,
      clientId: `nexo-test-${prefix}`,
      topics: prefixTopics({ ...topics, events: { ...topics.events, partitions: 3 } }, prefix),
      groupPrefix: prefix,
    },
    relay: { pollIntervalMs: 20, retryDelayMs: 20 },
  }),
);

eventBusContract('kafka (sqlite outbox → relay → kafka)', factory);
streamVersionContract('kafka (sqlite outbox → relay → kafka)', factory);
