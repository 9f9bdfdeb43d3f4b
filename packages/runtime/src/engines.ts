import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  openKafkaBus,
  openKafkaEngine,
  openKafkaPublisher,
  openMongoEventStore,
  openSqliteEventStore,
  type DeadLetter,
  type EventBus,
  type EventPublisher,
  type EventStore,
  type EventStoreEngine,
  type KafkaOptions,
  type Outbox,
  type ReadCounts,
} from '@nexo/eventstore';
import { openMongoReadStore, openSqliteReadStore, type ReadStore } from '@nexo/readstore';
import type { NexoConfig } from './config.ts';
import { ENGINE_DEFAULTS, type EngineSettings } from './engine-settings.ts';

/** What `openEngines` reads; anything not given is embedded (services may pass a narrower config). */
export type EngineConfig = Pick<NexoConfig, 'dataDir'> & Partial<EngineSettings>;

/** The embedded SQLite files whose reads are routed (ADR 0016), by a name that is never a path. */
export type SqliteFileName = 'event_log' | 'read_models';

/** Where the reads of one embedded SQLite file ran so far: what `nexo_sqlite_reads_total` counts. */
export interface SqliteFileReads {
  readonly file: SqliteFileName;
  counts(): ReadCounts;
}

/** The adapters behind each port, as the configuration chose them. */
export interface Engines {
  readonly store: EventStore;
  readonly outbox: Outbox;
  readonly bus: EventBus;
  readonly readStore: ReadStore;
  /** How many events a consumer group gave up on, from the bus's dead letters (a COUNT, never the rows). */
  deadLetterCount(group: string): Promise<number>;
  /** The group's dead letters with their events (`pnpm dead-letters`). */
  deadLetters(group: string): Promise<DeadLetter[]>;
  /** Resolves the group's dead letters at these log positions (`pnpm replay`; EventEngine.resolveDeadLetters). */
  resolveDeadLetters(group: string, positions: readonly number[]): Promise<number>;
  /**
   * The reads of each embedded SQLite file this process opened (the event log, the read models),
   * by where they ran; none for a MongoDB store. Counted by the engines, read at each scrape.
   */
  readonly sqliteReads: readonly SqliteFileReads[];
  close(): Promise<void>;
}

type EventEngines = Pick<
  Engines,
  'store' | 'outbox' | 'bus' | 'deadLetterCount' | 'deadLetters' | 'resolveDeadLetters' | 'close'
>;

/** An engine, with the reads of the embedded SQLite file it opened, if any. */
interface Opened<Engine> {
  readonly engine: Engine;
  readonly sqliteReads: readonly SqliteFileReads[];
}

const fileReads = (file: SqliteFileName, store: { readCounts(): ReadCounts }): SqliteFileReads[] => [
  { file, counts: () => store.readCounts() },
];

const settingsOf = (config: EngineConfig): EngineSettings => ({ ...ENGINE_DEFAULTS, ...config });

const required = <T>(value: T | undefined, name: string): T => {
  if (value === undefined) throw new RangeError(`${name} is not configured`);
  return value;
};

const kafkaOptions = (settings: EngineSettings): KafkaOptions => ({
  brokers: required(settings.kafkaBrokers, 'KAFKA_BROKERS'),
});

/** The embedded event log's file in a data folder. */
export const eventLogFile = (dataDir: string): string => join(dataDir, 'events.sqlite');

/** The event store with its outbox; a SQLite store keeps an outbox only when a relay drains it (Kafka). */
const openEventSource = async (
  config: EngineConfig,
  settings: EngineSettings,
): Promise<Opened<EventStoreEngine>> => {
  if (settings.eventEngine === 'mongodb') {
    const engine = await openMongoEventStore({
      uri: required(settings.mongodbUri, 'MONGODB_URI'),
      database: settings.mongodbDatabase,
    });
    return { engine, sqliteReads: [] };
  }
  mkdirSync(config.dataDir, { recursive: true });
  const engine = openSqliteEventStore({
    file: eventLogFile(config.dataDir),
    outbox: settings.busEngine === 'kafka',
    readerThreads: settings.sqliteReaders,
  });
  return { engine, sqliteReads: fileReads('event_log', engine) };
};

/** How a process uses the engines, beside what the configuration chose. */
export interface EngineUse {
  /**
   * The process rebuilds the read models (`pnpm replay`): an embedded read store commits on a
   * writer thread of its own, so a rebuild projects while its previous flush is written. Never for
   * serving: each live batch waits for its own commit, and would only add a thread hop.
   */
  readonly rebuild?: boolean;
}

const openReadModels = async (
  config: EngineConfig,
  settings: EngineSettings,
  use: EngineUse,
): Promise<Opened<ReadStore>> => {
  if (settings.readEngine === 'mongodb') {
    const engine = await openMongoReadStore({
      uri: required(settings.mongodbUri, 'MONGODB_URI'),
      database: settings.mongodbDatabase,
    });
    return { engine, sqliteReads: [] };
  }
  mkdirSync(config.dataDir, { recursive: true });
  const engine = openSqliteReadStore({
    file: join(config.dataDir, 'read-models.sqlite'),
    readerThreads: settings.sqliteReaders,
    writerThread: use.rebuild === true,
  });
  return { engine, sqliteReads: fileReads('read_models', engine) };
};

/**
 * The read-model store alone, as `openEngines` opens it: what a projector opens for a start-up
 * rebuild (`{ rebuild: true }`) beside the store it serves with.
 */
export const openReadModelStore = async (config: EngineConfig, use: EngineUse = {}): Promise<ReadStore> =>
  (await openReadModels(config, settingsOf(config), use)).engine;

/** The store, its outbox and the bus: the embedded log, Kafka, or Kafka fed by a relay in this process. */
const openEvents = async (config: EngineConfig, settings: EngineSettings): Promise<Opened<EventEngines>> => {
  if (settings.busEngine === 'sqlite') {
    if (settings.eventEngine !== 'sqlite')
      throw new RangeError('the embedded bus needs the SQLite event store');
    mkdirSync(config.dataDir, { recursive: true });
    const engine = openSqliteEventStore({
      file: eventLogFile(config.dataDir),
      outbox: false,
      readerThreads: settings.sqliteReaders,
    });
    return { engine, sqliteReads: fileReads('event_log', engine) };
  }
  const { engine: source, sqliteReads } = await openEventSource(config, settings);
  try {
    if (settings.relayInProcess) {
      const engine = await openKafkaEngine({
        source,
        kafka: kafkaOptions(settings),
        relay: { batchSize: settings.relayBatchSize, pollIntervalMs: settings.relayPollMs },
      });
      return { engine, sqliteReads };
    }
    const bus = await openKafkaBus(kafkaOptions(settings));
    const engine: EventEngines = {
      store: source.store,
      outbox: source.outbox,
      bus,
      deadLetterCount: (group) => bus.deadLetterCount(group),
      deadLetters: (group) => bus.deadLetters(group),
      resolveDeadLetters: (group, positions) => bus.resolveDeadLetters(group, positions),
      close: async () => {
        await bus.close();
        await source.close();
      },
    };
    return { engine, sqliteReads };
  } catch (error) {
    await source.close();
    throw error;
  }
};

/**
 * Opens the engines the configuration names: embedded SQLite files under the data folder by
 * default (durable across restarts), MongoDB and Kafka in distributed mode.
 */
export const openEngines = async (config: EngineConfig, use: EngineUse = {}): Promise<Engines> => {
  const settings = settingsOf(config);
  const { engine: events, sqliteReads: eventReads } = await openEvents(config, settings);
  let readModels: Opened<ReadStore>;
  try {
    readModels = await openReadModels(config, settings, use);
  } catch (error) {
    await events.close();
    throw error;
  }
  const readStore = readModels.engine;
  return {
    store: events.store,
    outbox: events.outbox,
    bus: events.bus,
    readStore,
    deadLetterCount: (group) => events.deadLetterCount(group),
    deadLetters: (group) => events.deadLetters(group),
    resolveDeadLetters: (group, positions) => events.resolveDeadLetters(group, positions),
    sqliteReads: [...eventReads, ...readModels.sqliteReads],
    close: async () => {
      await events.close();
      await readStore.close();
    },
  };
};

/** What `services/relay` needs: the store's outbox and the Kafka publisher. */
export interface RelayEngines {
  readonly store: EventStore;
  readonly outbox: Outbox;
  readonly publisher: EventPublisher;
  close(): Promise<void>;
}

export const openRelayEngines = async (config: EngineConfig): Promise<RelayEngines> => {
  const settings = settingsOf(config);
  if (settings.busEngine !== 'kafka')
    throw new RangeError('the relay publishes to Kafka: set NEXO_BUS_ENGINE=kafka');
  const { engine: source } = await openEventSource(config, settings);
  let publisher: EventPublisher;
  try {
    publisher = await openKafkaPublisher(kafkaOptions(settings));
  } catch (error) {
    await source.close();
    throw error;
  }
  return {
    store: source.store,
    outbox: source.outbox,
    publisher,
    close: async () => {
      await publisher.close();
      await source.close();
    },
  };
};
