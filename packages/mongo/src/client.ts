/**
 * Connecting to MongoDB for the event store and the read models. Writes wait for a majority of the replica set and the
 * journal (a 201 promises the events are durable); reads see only majority-committed data, so a
 * reader never sees an event a failover could roll back. Transactions need a replica set — a
 * single-node one is enough.
 */
import type { ClientSession, Db, TransactionOptions } from 'mongodb';
import { MongoClient } from 'mongodb';

export interface MongoConnectionOptions {
  /** A connection string (`MONGODB_URI`), used when no `client` is given. */
  readonly uri?: string;
  /** A client to share with other adapters; the caller connects and closes it. */
  readonly client?: MongoClient;
  /** Database name (default `nexo`). */
  readonly database?: string;
}

export interface MongoConnection {
  readonly client: MongoClient;
  readonly db: Db;
  /** Closes the client when this connection opened it; a shared client is left open. */
  release(): Promise<void>;
}

export const MONGODB_DEFAULT_DATABASE = 'nexo';

export const MONGODB_CLIENT_OPTIONS = {
  writeConcern: { w: 'majority', journal: true },
  readConcern: { level: 'majority' },
  retryWrites: true,
  serverSelectionTimeoutMS: 15_000,
  appName: 'nexo',
} as const;

export const TRANSACTION_OPTIONS: TransactionOptions = {
  readConcern: { level: 'snapshot' },
  writeConcern: { w: 'majority', journal: true },
  readPreference: 'primary',
};

export const connectMongo = async (options: MongoConnectionOptions): Promise<MongoConnection> => {
  const database = options.database ?? MONGODB_DEFAULT_DATABASE;
  if (options.client !== undefined) {
    return { client: options.client, db: options.client.db(database), release: async () => undefined };
  }
  if (options.uri === undefined || options.uri === '') {
    throw new RangeError('a MongoDB engine needs a connection string (uri) or a client');
  }
  const client = new MongoClient(options.uri, MONGODB_CLIENT_OPTIONS);
  await client.connect();
  return { client, db: client.db(database), release: () => client.close() };
};

/** Runs `work` in one transaction (retried by the driver on transient conflicts) and returns its result. */
export const inTransaction = async <T>(
  client: MongoClient,
  work: (session: ClientSession) => Promise<T>,
): Promise<T> => {
  const session = client.startSession();
  try {
    let result: { value: T } | undefined;
    await session.withTransaction(async () => {
      result = { value: await work(session) };
    }, TRANSACTION_OPTIONS);
    if (result === undefined) throw new Error('the MongoDB transaction ended without a result');
    return result.value;
  } finally {
    await session.endSession();
  }
};
