/** The engine of each port and its tuning, read from environment variables and checked. */
import { envReader, type Env } from './env-reader.ts';

/** The engine of each port, chosen by environment variables (docs/configuration.md). */
export const ENGINE_CHOICES = {
  event: ['sqlite', 'mongodb'],
  bus: ['sqlite', 'kafka'],
  read: ['sqlite', 'mongodb'],
} as const;

export interface EngineSettings {
  readonly eventEngine: (typeof ENGINE_CHOICES.event)[number];
  readonly busEngine: (typeof ENGINE_CHOICES.bus)[number];
  readonly readEngine: (typeof ENGINE_CHOICES.read)[number];
  /** Required when an engine is `mongodb`; a replica set (transactions). */
  readonly mongodbUri?: string;
  readonly mongodbDatabase: string;
  /** Required when the bus is `kafka`. */
  readonly kafkaBrokers?: readonly string[];
  /** Largest outbox batch the relay publishes at once. */
  readonly relayBatchSize: number;
  /** How often an idle relay looks at the outbox, in milliseconds. */
  readonly relayPollMs: number;
  /** Run the outbox relay inside this process (an all-in-one process on Kafka); otherwise `services/relay` does. */
  readonly relayInProcess: boolean;
  /**
   * Reader threads of each embedded file, for the reads that may wait for the disk: a read goes to
   * them only while the file's recent reads were slow, and they start on the first such read (0:
   * every read on the request thread). ADR 0016.
   */
  readonly sqliteReaders: number;
}

export const ENGINE_DEFAULTS = {
  eventEngine: 'sqlite',
  busEngine: 'sqlite',
  readEngine: 'sqlite',
  mongodbDatabase: 'nexo',
  relayBatchSize: 500,
  relayPollMs: 100,
  relayInProcess: false,
  sqliteReaders: 4,
} as const satisfies Omit<EngineSettings, 'mongodbUri' | 'kafkaBrokers'>;

const BROKER = /^[A-Za-z0-9.-]+:(\d{1,5})$/;

/** Reads and checks the engine variables; every problem found is pushed to `problems`. */
export const loadEngineSettings = (env: Env, problems: string[]): EngineSettings => {
  const { oneOf, int } = envReader(env, problems);
  const eventEngine = oneOf('NEXO_EVENT_ENGINE', ENGINE_CHOICES.event, ENGINE_DEFAULTS.eventEngine);
  const busEngine = oneOf('NEXO_BUS_ENGINE', ENGINE_CHOICES.bus, ENGINE_DEFAULTS.busEngine);
  const readEngine = oneOf('NEXO_READ_ENGINE', ENGINE_CHOICES.read, ENGINE_DEFAULTS.readEngine);
  if (busEngine === 'sqlite' && eventEngine !== 'sqlite')
    problems.push('NEXO_BUS_ENGINE=sqlite reads the SQLite event log: it needs NEXO_EVENT_ENGINE=sqlite');

  const mongodbUri = env.MONGODB_URI || undefined;
  if ((eventEngine === 'mongodb' || readEngine === 'mongodb') && mongodbUri === undefined)
    problems.push('MONGODB_URI is required when NEXO_EVENT_ENGINE or NEXO_READ_ENGINE is mongodb');
  if (mongodbUri !== undefined && !/^mongodb(\+srv)?:\/\/\S+$/.test(mongodbUri))
    problems.push('MONGODB_URI must be a mongodb:// or mongodb+srv:// connection string');
  const mongodbDatabase = env.MONGODB_DATABASE ?? ENGINE_DEFAULTS.mongodbDatabase;
  if (!/^[A-Za-z0-9_-]{1,63}$/.test(mongodbDatabase))
    problems.push('MONGODB_DATABASE must be 1 to 63 letters, digits, _ or -');

  const kafkaBrokers = (env.KAFKA_BROKERS ?? '')
    .split(',')
    .map((broker) => broker.trim())
    .filter((broker) => broker !== '');
  if (busEngine === 'kafka' && kafkaBrokers.length === 0)
    problems.push('KAFKA_BROKERS is required when NEXO_BUS_ENGINE is kafka');
  const badBroker = kafkaBrokers.find((broker) => {
    const port = Number(BROKER.exec(broker)?.[1] ?? 0);
    return port < 1 || port > 65535;
  });
  if (badBroker !== undefined) problems.push('KAFKA_BROKERS must be a comma-separated list of host:port');

  const relayInProcess = oneOf('NEXO_RELAY_IN_PROCESS', ['true', 'false'] as const, 'false') === 'true';
  return {
    eventEngine,
    busEngine,
    readEngine,
    ...(mongodbUri === undefined ? {} : { mongodbUri }),
    mongodbDatabase,
    ...(kafkaBrokers.length === 0 ? {} : { kafkaBrokers }),
    relayBatchSize: int('NEXO_RELAY_BATCH_SIZE', ENGINE_DEFAULTS.relayBatchSize, 1, 10_000),
    relayPollMs: int('NEXO_RELAY_POLL_MS', ENGINE_DEFAULTS.relayPollMs, 10, 60_000),
    relayInProcess,
    sqliteReaders: int('NEXO_SQLITE_READERS', ENGINE_DEFAULTS.sqliteReaders, 0, 16),
  };
};
