/**
 * One append as one MongoDB transaction: check the stream's version, take positions from the
 * counter document, insert the events and their outbox entries.
 *
 * Gap-free global positions: the counter is incremented inside the transaction, so an aborted
 * append never consumes a position. Every append writes the same counter document, so two appends
 * in flight conflict on it (WriteConflict, a TransientTransactionError): the driver retries the
 * loser after the winner committed, and the loser then reads the winner's counter. Positions are
 * therefore handed out in commit order, and a reader never sees position p+1 before p.
 * The unique index on (stream, version) backs the version check: a duplicate key on it is a lost
 * race and answers NEXO_ERR_CONCURRENCY, like the check itself.
 */
import type { ClientSession, Collection, MongoClient } from 'mongodb';
import type { AppendResult, NewEvent, StoredEvent } from '../port.ts';
import { ConcurrencyError, isConcurrencyError } from '../port.ts';
import { inTransaction } from '@nexo/mongo';
import type { CounterDocument, EventDocument, OutboxDocument } from './documents.ts';
import { POSITION_COUNTER, toEventDocument } from './documents.ts';

export interface EventCollections {
  readonly events: Collection<EventDocument>;
  readonly outbox: Collection<OutboxDocument>;
  readonly counters: Collection<CounterDocument>;
}

interface SerialisedEvent {
  readonly event: NewEvent;
  readonly data: string;
}

const DUPLICATE_KEY = 11000;
/** Name of the unique (stream, version) index in infra/mongodb/indexes.json. */
const STREAM_VERSION_INDEX = 'stream_version';

const serialise = (event: NewEvent): SerialisedEvent => {
  const data: unknown = JSON.stringify(event.data);
  if (typeof data !== 'string') throw new TypeError(`event ${event.id} has no JSON-serialisable data`);
  return { event, data };
};

/** A duplicate key on the (stream, version) index, whether reported by a write or a bulk write. */
const isStreamVersionDuplicate = (error: unknown): boolean => {
  if (typeof error !== 'object' || error === null) return false;
  const { code, keyPattern, message } = error as { code?: unknown; keyPattern?: unknown; message?: unknown };
  if (code !== DUPLICATE_KEY) return false;
  if (typeof keyPattern === 'object' && keyPattern !== null) return 'stream' in keyPattern;
  return typeof message === 'string' && message.includes(STREAM_VERSION_INDEX);
};

export const streamVersion = async (
  events: Collection<EventDocument>,
  stream: string,
  session?: ClientSession,
): Promise<number> => {
  const [last] = await events
    .find({ stream }, { session, projection: { version: 1 } })
    .sort({ version: -1 })
    .limit(1)
    .toArray();
  return last?.version ?? 0;
};

export const appendInTransaction = async (
  client: MongoClient,
  collections: EventCollections,
  stream: string,
  expectedVersion: number,
  events: readonly NewEvent[],
): Promise<AppendResult> => {
  if (!Number.isSafeInteger(expectedVersion) || expectedVersion < 0) {
    throw new RangeError(`expected version must be an integer ≥ 0, got ${expectedVersion}`);
  }
  const entries = events.map(serialise);
  try {
    return await inTransaction(client, async (session) => {
      const actual = await streamVersion(collections.events, stream, session);
      if (actual !== expectedVersion) throw new ConcurrencyError(stream, expectedVersion, actual);
      if (entries.length === 0) return { version: actual, events: [] };
      const counter = await collections.counters.findOneAndUpdate(
        { _id: POSITION_COUNTER },
        { $inc: { value: entries.length } },
        { session, upsert: true, returnDocument: 'after' },
      );
      const last = counter?.value ?? entries.length;
      const recordedAt = new Date().toISOString();
      const stored = entries.map(({ event }, index): StoredEvent => ({
        ...event,
        stream,
        version: actual + index + 1,
        position: last - entries.length + index + 1,
        recordedAt,
      }));
      await collections.events.insertMany(
        stored.map((event, index) => toEventDocument(event, entries[index]?.data ?? 'null')),
        { session, ordered: true },
      );
      await collections.outbox.insertMany(
        stored.map((event) => ({ _id: event.id, position: event.position })),
        { session, ordered: true },
      );
      return { version: actual + stored.length, events: stored };
    });
  } catch (error) {
    if (isConcurrencyError(error)) throw error;
    if (isStreamVersionDuplicate(error)) {
      const actual = await streamVersion(collections.events, stream);
      throw new ConcurrencyError(stream, expectedVersion, actual);
    }
    throw error;
  }
};
