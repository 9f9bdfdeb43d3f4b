/** The embedded read-model store: JSON documents with revisions, indexes and checkpoints in SQLite. */
import type {
  Checkpoint,
  CollectionIndex,
  DocumentWrite,
  FindQuery,
  ReadStore,
  StoredDocument,
} from '../port.ts';
import { RevisionConflictError } from '../port.ts';
import { openReadDatabase } from './database.ts';
import { findDocuments, toDocument } from './find.ts';
import { DocumentIndexer } from './indexer.ts';
import { prepareStatements } from './statements.ts';

export interface SqliteReadStoreOptions {
  /** Path of the database file (created with its directory when missing), or `:memory:`. */
  readonly file: string;
}

const serialise = (write: DocumentWrite & { kind: 'put' }): string => {
  const body: unknown = JSON.stringify(write.body);
  if (typeof body !== 'string') throw new TypeError(`${write.collection}/${write.id} has no JSON body`);
  return body;
};

export const openSqliteReadStore = (options: SqliteReadStoreOptions): ReadStore => {
  const db = openReadDatabase(options.file);
  const statements = prepareStatements(db);
  const indexer = new DocumentIndexer(statements);

  const ensureIndexes = db.transaction((indexes: readonly CollectionIndex[]) => indexer.declare(indexes));

  const commit = db.transaction((writes: readonly DocumentWrite[], checkpoint: Checkpoint | undefined) => {
    for (const write of writes) {
      const actual = statements.revision.get(write.collection, write.id) ?? 0;
      if (actual !== write.expectedRevision) {
        throw new RevisionConflictError(write.collection, write.id, write.expectedRevision, actual);
      }
      if (write.kind === 'put') {
        statements.upsert.run(write.collection, write.id, actual + 1, serialise(write));
        indexer.put(write.collection, write.id, write.body, actual === 0);
      } else if (actual > 0) {
        statements.remove.run(write.collection, write.id);
        indexer.remove(write.collection, write.id);
      }
    }
    if (checkpoint !== undefined) statements.saveCheckpoint.run(checkpoint.consumer, checkpoint.position);
  });

  const clear = db.transaction(() => {
    db.exec('DELETE FROM documents; DELETE FROM document_index; DELETE FROM checkpoints;');
  });

  const getOne = <T>(collection: string, id: string): StoredDocument<T> | undefined => {
    const row = statements.get.get(collection, id);
    return row === undefined ? undefined : toDocument<T>(row);
  };

  return {
    ensureIndexes: async (indexes: readonly CollectionIndex[]): Promise<void> => {
      try {
        ensureIndexes(indexes);
      } catch (error) {
        indexer.reload();
        throw error;
      }
    },
    get: async <T = unknown>(collection: string, id: string): Promise<StoredDocument<T> | undefined> =>
      getOne<T>(collection, id),
    getMany: async <T = unknown>(
      collection: string,
      ids: readonly string[],
    ): Promise<StoredDocument<T>[]> => {
      if (ids.length === 0) return [];
      // The common case on the citizen read path (one identifier, one sender): a primary-key
      // lookup, without building and scanning a JSON list.
      if (ids.length === 1) {
        const doc = getOne<T>(collection, ids[0] as string);
        return doc === undefined ? [] : [doc];
      }
      const found = new Map(
        statements.getMany.all(collection, JSON.stringify(ids)).map((row) => [row.id, row]),
      );
      return [...new Set(ids)].flatMap((id) => {
        const row = found.get(id);
        return row === undefined ? [] : [toDocument<T>(row)];
      });
    },
    commit: async (writes: readonly DocumentWrite[], checkpoint?: Checkpoint): Promise<void> => {
      commit.immediate(writes, checkpoint);
    },
    getCheckpoint: async (consumer: string): Promise<string | undefined> =>
      statements.checkpoint.get(consumer),
    find: async <T = unknown>(query: FindQuery) => findDocuments<T>(statements, indexer, query),
    clear: async (): Promise<void> => {
      clear.immediate();
    },
    close: async (): Promise<void> => {
      if (db.open) db.close();
    },
  };
};
