/**
 * A MongoDB for the distributed contract suites: `MONGODB_URI` when set, else a single-node replica
 * set started with testcontainers when a Docker engine answers, else a skip with the reason. Each
 * contract instance gets a database of its own, dropped when the instance is disposed.
 */
import { randomUUID } from 'node:crypto';
import type { MongoClient } from 'mongodb';
import type { StartedTestContainer } from 'testcontainers';
import type { Closable, ContractFactory } from '../contracts/harness.ts';
import { probeDocker, skipped } from './docker.ts';

export const MONGODB_TEST_IMAGE = 'mongo:7.0';

/** Opens the engine under test over `database` of the server at `uri`. */
export type MongoOpener<T extends Closable> = (uri: string, database: string) => Promise<T>;

const REPLICA_SET_INIT = `try { rs.status().ok } catch (e) { rs.initiate({ _id: 'rs0', members: [{ _id: 0, host: 'localhost:27017' }] }).ok }`;

// The drivers and testcontainers load only when a suite really runs, not in every test importing testkit.
const newClient = async (uri: string, serverSelectionTimeoutMS = 15_000): Promise<MongoClient> => {
  const { MongoClient } = await import('mongodb');
  return new MongoClient(uri, { serverSelectionTimeoutMS });
};

const waitForPrimary = async (uri: string, timeoutMs = 60_000): Promise<void> => {
  const client = await newClient(uri, 2_000);
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      try {
        const hello = await client.db('admin').command({ hello: 1 });
        if (hello.isWritablePrimary === true) return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
      if (Date.now() > deadline) throw new Error('the MongoDB replica set elected no primary in time');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    await client.close();
  }
};

const startMongoContainer = async (): Promise<{ uri: string; container: StartedTestContainer }> => {
  const { GenericContainer, Wait } = await import('testcontainers');
  const container = await new GenericContainer(MONGODB_TEST_IMAGE)
    .withCommand(['--replSet', 'rs0', '--bind_ip_all'])
    .withExposedPorts(27017)
    .withWaitStrategy(Wait.forLogMessage(/Waiting for connections/))
    .withStartupTimeout(120_000)
    .start();
  const init = await container.exec(['mongosh', '--quiet', '--eval', REPLICA_SET_INIT]);
  if (init.exitCode !== 0) throw new Error(`rs.initiate failed: ${init.output}`);
  const uri = `mongodb://${container.getHost()}:${container.getMappedPort(27017)}/?directConnection=true`;
  await waitForPrimary(uri);
  return { uri, container };
};

/**
 * A contract factory over MongoDB, or one that skips (with the reason) when neither MONGODB_URI
 * nor a Docker engine is available.
 */
export const mongoContractFactory = async <T extends Closable>(
  open: MongoOpener<T>,
): Promise<ContractFactory<T>> => {
  const given = process.env.MONGODB_URI;
  let docker: Awaited<ReturnType<typeof probeDocker>> | undefined;
  if (given === undefined || given === '') {
    docker = await probeDocker();
    if (!docker.reachable) return skipped(`MONGODB_URI is not set and ${docker.reason}`);
    process.env.DOCKER_HOST ??= docker.endpoint;
  }
  let uri = given ?? '';
  let container: StartedTestContainer | undefined;
  let admin: MongoClient | undefined;
  return {
    setup: async () => {
      if (docker !== undefined) ({ uri, container } = await startMongoContainer());
      admin = await newClient(uri);
      await admin.connect();
    },
    teardown: async () => {
      await admin?.close();
      await container?.stop();
    },
    create: async () => {
      const database = `nexo_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
      return {
        open: () => open(uri, database),
        dispose: async () => {
          await admin?.db(database).dropDatabase();
        },
      };
    },
  };
};
