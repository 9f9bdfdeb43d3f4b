/**
 * The MongoDB event store and its outbox. It has no bus of its own: in distributed mode the relay
 * drains the outbox into Kafka, and consumers read Kafka (see `relayedEngine`).
 */
import type { Collection } from 'mongodb';
import type { AppendResult, EventStore, EventStoreEngine, NewEvent, Outbox, StoredEvent } from '../port.ts';
import type { EventCollections } from './append.ts';
import { appendInTransaction, streamVersion } from './append.ts';
import { connectMongo, type MongoConnectionOptions } from '@nexo/mongo';
import type { CounterDocument, EventDocument, OutboxDocument } from './documents.ts';
import { EVENT_COLLECTIONS, POSITION_COUNTER, toStoredEvent } from './documents.ts';
import { applyMongoIndexes, loadMongoIndexes } from '@nexo/mongo';

export type MongoEventStoreOptions = MongoConnectionOptions;

const assertLimit = (limit: number): void => {
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw new RangeError(`limit must be an integer ≥ 1, got ${limit}`);
};

const createOutbox = (collections: EventCollections): Outbox => ({
  pending: async (limit: number): Promise<StoredEvent[]> => {
    assertLimit(limit);
    const waiting = await collections.outbox.find({}).sort({ position: 1 }).limit(limit).toArray();
    if (waiting.length === 0) return [];
    const docs = await collections.events
      .find({ _id: { $in: waiting.map((entry) => entry.position) } })
      .sort({ _id: 1 })
      .toArray();
    return docs.map(toStoredEvent);
  },
  markPublished: async (eventIds: readonly string[]): Promise<void> => {
    if (eventIds.length > 0) await collections.outbox.deleteMany({ _id: { $in: [...eventIds] } });
  },
  depth: () => collections.outbox.countDocuments({}),
});

/** Creates the position counter at 0 unless it exists (another process may race to create it). */
const seedCounter = async (counters: Collection<CounterDocument>): Promise<void> => {
  try {
    await counters.updateOne({ _id: POSITION_COUNTER }, { $setOnInsert: { value: 0 } }, { upsert: true });
  } catch (error) {
    if ((error as { code?: unknown }).code !== 11000) throw error;
  }
};

/** Opens the store over `options.database`, creating its collections, indexes and counter if missing. */
export const openMongoEventStore = async (options: MongoEventStoreOptions): Promise<EventStoreEngine> => {
  const connection = await connectMongo(options);
  const { db, client } = connection;
  try {
    await applyMongoIndexes(db, loadMongoIndexes('eventstore'));
    await seedCounter(db.collection<CounterDocument>(EVENT_COLLECTIONS.counters));
  } catch (error) {
    await connection.release();
    throw error;
  }
  const collections: EventCollections = {
    events: db.collection<EventDocument>(EVENT_COLLECTIONS.events),
    outbox: db.collection<OutboxDocument>(EVENT_COLLECTIONS.outbox),
    counters: db.collection<CounterDocument>(EVENT_COLLECTIONS.counters),
  };

  const inFlight = new Set<Promise<unknown>>();
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      await Promise.allSettled([...inFlight]);
      await connection.release();
    })());

  const append = (
    stream: string,
    expectedVersion: number,
    events: readonly NewEvent[],
  ): Promise<AppendResult> => {
    if (closing !== undefined) return Promise.reject(new Error('the event store is closed'));
    const appended = appendInTransaction(client, collections, stream, expectedVersion, events);
    inFlight.add(appended);
    void appended.then(
      () => inFlight.delete(appended),
      () => inFlight.delete(appended),
    );
    return appended;
  };

  const store: EventStore = {
    append,
    readStream: async (stream: string): Promise<StoredEvent[]> =>
      (await collections.events.find({ stream }).sort({ version: 1 }).toArray()).map(toStoredEvent),
    streamVersion: (stream: string): Promise<number> => streamVersion(collections.events, stream),
    readAll: async (afterPosition: number, limit: number): Promise<StoredEvent[]> => {
      assertLimit(limit);
      const docs = await collections.events
        .find({ _id: { $gt: afterPosition } })
        .sort({ _id: 1 })
        .limit(limit)
        .toArray();
      return docs.map(toStoredEvent);
    },
    headPosition: async (): Promise<number> => {
      const [last] = await collections.events
        .find({}, { projection: { _id: 1 } })
        .sort({ _id: -1 })
        .limit(1)
        .toArray();
      return last?._id ?? 0;
    },
    close,
  };

  return { store, outbox: createOutbox(collections), close };
};
