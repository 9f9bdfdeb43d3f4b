/** Engine selection as the relay (and every service) reads it: validated at start-up, embedded by default. */
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { describeConfig, loadConfig, openEngines, openRelayEngines } from '@nexo/runtime';
import { newEvents, removeTempDir, tempDir } from '@nexo/testkit';

const problemsOf = (env: Record<string, string>): string => {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toMatchObject({ code: 'NEXO_ERR_CONFIG' });
    return (error as Error).message;
  }
  throw new Error('the configuration was accepted');
};

describe('engine configuration', () => {
  it('is embedded when nothing is set', () => {
    expect(loadConfig({})).toMatchObject({
      eventEngine: 'sqlite',
      busEngine: 'sqlite',
      readEngine: 'sqlite',
      mongodbDatabase: 'nexo',
      relayBatchSize: 500,
      relayPollMs: 100,
      relayInProcess: false,
      sqliteReaders: 4,
    });
    expect(loadConfig({})).not.toHaveProperty('mongodbUri');
    expect(loadConfig({})).not.toHaveProperty('kafkaBrokers');
  });

  it('reads the distributed engines and hides the MongoDB credentials when logged', () => {
    const config = loadConfig({
      NEXO_EVENT_ENGINE: 'mongodb',
      NEXO_BUS_ENGINE: 'kafka',
      NEXO_READ_ENGINE: 'mongodb',
      MONGODB_URI: 'mongodb://nexo:s3cret@mongodb:27017/?replicaSet=rs0',
      MONGODB_DATABASE: 'nexo_prod',
      KAFKA_BROKERS: 'kafka-1:9092, kafka-2:9092',
      NEXO_RELAY_BATCH_SIZE: '100',
      NEXO_RELAY_POLL_MS: '50',
      NEXO_RELAY_IN_PROCESS: 'true',
    });
    expect(config).toMatchObject({
      eventEngine: 'mongodb',
      busEngine: 'kafka',
      readEngine: 'mongodb',
      mongodbDatabase: 'nexo_prod',
      kafkaBrokers: ['kafka-1:9092', 'kafka-2:9092'],
      relayBatchSize: 100,
      relayPollMs: 50,
      relayInProcess: true,
    });
    const logged = JSON.stringify(describeConfig(config));
    expect(logged).not.toContain('s3cret');
    expect(logged).toContain('mongodb://***@mongodb:27017');
    // A password with an unescaped @ or / is masked whole, not up to its first @.
    for (const uri of ['mongodb://nexo:p@ss@mongodb:27017', 'mongodb://nexo:pa/ss@mongodb:27017']) {
      const masked = JSON.stringify(describeConfig({ ...config, mongodbUri: uri }));
      expect(masked, uri).toContain('mongodb://***@mongodb:27017');
      expect(masked, uri).not.toMatch(/ss@/);
    }
  });

  it('names every wrong or missing variable at once', () => {
    const message = problemsOf({
      NEXO_EVENT_ENGINE: 'mongodb',
      NEXO_READ_ENGINE: 'postgres',
      KAFKA_BROKERS: 'kafka',
      NEXO_RELAY_POLL_MS: '0',
      NEXO_SQLITE_READERS: '17',
    });
    expect(message).toContain('NEXO_READ_ENGINE must be one of sqlite, mongodb');
    expect(message).toContain('NEXO_BUS_ENGINE=sqlite reads the SQLite event log');
    expect(message).toContain('MONGODB_URI is required');
    expect(message).toContain('KAFKA_BROKERS must be a comma-separated list of host:port');
    expect(message).toContain('NEXO_RELAY_POLL_MS must be an integer from 10 to 60000');
    expect(message).toContain('NEXO_SQLITE_READERS must be an integer from 0 to 16');
    expect(problemsOf({ NEXO_BUS_ENGINE: 'kafka' })).toContain('KAFKA_BROKERS is required');
    expect(problemsOf({ NEXO_READ_ENGINE: 'mongodb', MONGODB_URI: 'http://db' })).toContain(
      'MONGODB_URI must be a mongodb:// or mongodb+srv:// connection string',
    );
    expect(problemsOf({ MONGODB_DATABASE: 'a.b' })).toContain('MONGODB_DATABASE must be');
  });

  it('opens the embedded engines without an outbox, and refuses to relay without Kafka', async () => {
    const dir = await tempDir();
    onTestFinished(() => removeTempDir(dir));
    const engines = await openEngines({ dataDir: join(dir, 'data') });
    await engines.store.append('record-1', 0, newEvents(2));
    expect(await engines.outbox.depth()).toBe(0);
    await engines.close();
    await expect(openRelayEngines({ dataDir: join(dir, 'data') })).rejects.toThrow('NEXO_BUS_ENGINE=kafka');
  });

  it('reads back every commit with NEXO_SQLITE_READERS set, wherever each read runs', async () => {
    const dir = await tempDir();
    onTestFinished(() => removeTempDir(dir));
    const engines = await openEngines(
      loadConfig({ NEXO_DATA_DIR: join(dir, 'data'), NEXO_SQLITE_READERS: '2' }),
    );
    const appended = await engines.store.append('record-1', 0, newEvents(2));
    // Read right after the append resolved, on the calling thread or a reader's connection (the
    // contract suites run both): nothing committed is missed.
    expect((await engines.store.readStream('record-1')).map((event) => event.id)).toEqual(
      appended.events.map((event) => event.id),
    );
    await engines.readStore.commit([
      { kind: 'put', collection: 'cards', id: 'cns:1', expectedRevision: 0, body: { doses: 1 } },
    ]);
    expect(await engines.readStore.getMany('cards', ['cns:1', 'cns:2'])).toEqual([
      { collection: 'cards', id: 'cns:1', revision: 1, body: { doses: 1 } },
    ]);
    await engines.close();
  });
});
