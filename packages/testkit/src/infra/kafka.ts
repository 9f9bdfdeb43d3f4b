/**
 * A Kafka for the distributed contract suites: `KAFKA_BROKERS` when set, else a single KRaft broker
 * started with testcontainers when a Docker engine answers, else a skip with the reason. Each
 * contract instance gets topics and consumer groups of its own (a unique prefix), deleted when the
 * instance is disposed.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import type { StartedTestContainer } from 'testcontainers';
import type { Closable, ContractFactory } from '../contracts/harness.ts';
import { removeTempDir, tempDir } from '../temp-dir.ts';
import { probeDocker, skipped } from './docker.ts';

export const KAFKA_TEST_IMAGE = 'apache/kafka:3.9.1';

/** Where an instance lives: its brokers, the prefix of its topics and consumer groups, a scratch folder. */
export interface KafkaNamespace {
  readonly brokers: readonly string[];
  readonly prefix: string;
  /** A folder of the instance's own (e.g. for the SQLite store feeding the relay), removed on dispose. */
  readonly dir: string;
}

export type KafkaOpener<T extends Closable> = (namespace: KafkaNamespace) => Promise<T>;

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });

/** The host port is chosen first so the broker can advertise it (Kafka clients reconnect to it). */
const startKafkaContainer = async (): Promise<{ brokers: string[]; container: StartedTestContainer }> => {
  // testcontainers loads only when a suite really starts a broker, not in every test importing testkit.
  const { GenericContainer, getContainerRuntimeClient, Wait } = await import('testcontainers');
  const host = (await getContainerRuntimeClient()).info.containerRuntime.host;
  const port = await freePort();
  const container = await new GenericContainer(KAFKA_TEST_IMAGE)
    .withExposedPorts({ container: port, host: port })
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: `PLAINTEXT://:9092,CONTROLLER://:9093,HOST://:${port}`,
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://localhost:9092,HOST://${host}:${port}`,
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,HOST:PLAINTEXT',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_INTER_BROKER_LISTENER_NAME: 'PLAINTEXT',
      CLUSTER_ID: 'Hc2LtChtlWgxIw1cGP0JQw',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS: '3',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
      KAFKA_LOG_DIRS: '/tmp/kraft-combined-logs',
    })
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
    .withStartupTimeout(180_000)
    .start();
  return { brokers: [`${host}:${port}`], container };
};

/** Deletes the instance's topics and consumer groups; what is already gone is ignored. */
const disposeNamespace = async (brokers: readonly string[], prefix: string): Promise<void> => {
  const { Kafka, logLevel } = await import('kafkajs');
  const admin = new Kafka({
    clientId: 'nexo-test-cleanup',
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics }).catch(() => undefined);
    const { groups } = await admin.listGroups();
    const mine = groups.map((group) => group.groupId).filter((id) => id.startsWith(prefix));
    if (mine.length > 0) await admin.deleteGroups(mine).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
};

/**
 * A contract factory over Kafka, or one that skips (with the reason) when neither KAFKA_BROKERS
 * nor a Docker engine is available.
 */
export const kafkaContractFactory = async <T extends Closable>(
  open: KafkaOpener<T>,
): Promise<ContractFactory<T>> => {
  const given = (process.env.KAFKA_BROKERS ?? '')
    .split(',')
    .map((broker) => broker.trim())
    .filter((broker) => broker !== '');
  let useDocker = false;
  if (given.length === 0) {
    const docker = await probeDocker();
    if (!docker.reachable) return skipped(`KAFKA_BROKERS is not set and ${docker.reason}`);
    process.env.DOCKER_HOST ??= docker.endpoint;
    useDocker = true;
  }
  let brokers: readonly string[] = given;
  let container: StartedTestContainer | undefined;
  return {
    setup: async () => {
      if (useDocker) ({ brokers, container } = await startKafkaContainer());
    },
    teardown: async () => {
      await container?.stop();
    },
    create: async () => {
      const prefix = `test-${randomUUID().slice(0, 8)}.`;
      const dir = await tempDir();
      return {
        open: () => open({ brokers, prefix, dir }),
        dispose: async () => {
          await removeTempDir(dir);
          await disposeNamespace(brokers, prefix);
        },
      };
    },
  };
};
