/**
 * The MongoDB read-model store: documents with revisions, declared indexes and consumer
 * checkpoints, each commit (documents, their index entries and the checkpoint) one transaction.
 */
import type {
  Checkpoint,
  CollectionIndex,
  DocumentWrite,
  FindQuery,
  ReadStore,
  StoredDocument,
} from '../port.ts';
import type { MongoReadStoreOptions } from './client.ts';
import { connectMongo, inTransaction } from './client.ts';
import type { ReadCollections } from './commit.ts';
import { commitWrites } from './commit.ts';
import { Declarations } from './declarations.ts';
import type { CheckpointRecord, DeclarationRecord, DocumentRecord, IndexEntry } from './documents.ts';
import { READ_COLLECTIONS, documentKey, toDocument } from './documents.ts';
import { findDocuments } from './find.ts';
import { applyReadStoreIndexes } from './index-definitions.ts';

export type { MongoReadStoreOptions } from './client.ts';

/** Opens the store over `options.database`, creating its collections and indexes if missing. */
export const openMongoReadStore = async (options: MongoReadStoreOptions): Promise<ReadStore> => {
  const connection = await connectMongo(options);
  const { client, db } = connection;
  try {
    await applyReadStoreIndexes(db);
  } catch (error) {
    await connection.release();
    throw error;
  }
  const collections: ReadCollections = {
    documents: db.collection<DocumentRecord>(READ_COLLECTIONS.documents),
    index: db.collection<IndexEntry>(READ_COLLECTIONS.index),
    declarations: db.collection<DeclarationRecord>(READ_COLLECTIONS.declarations),
    checkpoints: db.collection<CheckpointRecord>(READ_COLLECTIONS.checkpoints),
  };
  const declarations = new Declarations(client, collections);
  let closing: Promise<void> | undefined;

  return {
    ensureIndexes: (indexes: readonly CollectionIndex[]) => declarations.declare(indexes),
    get: async <T = unknown>(collection: string, id: string): Promise<StoredDocument<T> | undefined> => {
      const record = await collections.documents.findOne({ _id: documentKey(collection, id) });
      return record === null ? undefined : toDocument<T>(record);
    },
    getMany: async <T = unknown>(
      collection: string,
      ids: readonly string[],
    ): Promise<StoredDocument<T>[]> => {
      const unique = [...new Set(ids)];
      if (unique.length === 0) return [];
      const keys = unique.map((id) => documentKey(collection, id));
      const records = await collections.documents.find({ _id: { $in: keys } }).toArray();
      const byKey = new Map(records.map((record) => [record._id, record]));
      return keys.flatMap((key) => {
        const record = byKey.get(key);
        return record === undefined ? [] : [toDocument<T>(record)];
      });
    },
    commit: (writes: readonly DocumentWrite[], checkpoint?: Checkpoint) =>
      commitWrites(client, collections, writes, checkpoint),
    getCheckpoint: async (consumer: string): Promise<string | undefined> =>
      (await collections.checkpoints.findOne({ _id: consumer }))?.position,
    find: async <T = unknown>(query: FindQuery) => {
      if ((await declarations.declared(query.collection, query.field)) === undefined) {
        throw new RangeError(
          `${query.collection}.${query.field} has no index; declare it with ensureIndexes`,
        );
      }
      if (!Number.isSafeInteger(query.limit) || query.limit < 1) {
        throw new RangeError(`limit must be an integer ≥ 1, got ${query.limit}`);
      }
      return findDocuments<T>(collections, query);
    },
    clear: () =>
      inTransaction(client, async (session) => {
        await collections.documents.deleteMany({}, { session });
        await collections.index.deleteMany({}, { session });
        await collections.checkpoints.deleteMany({}, { session });
      }),
    close: () => (closing ??= connection.release()),
  };
};
