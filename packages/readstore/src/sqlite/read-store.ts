/** The embedded read-model store: JSON documents with revisions, indexes and checkpoints in SQLite. */
import { readerPoolFor } from '@nexo/sqlite-readers';
import type {
  Checkpoint,
  CollectionIndex,
  DocumentWrite,
  FindQuery,
  ReadStore,
  StoredDocument,
} from '../port.ts';
import { RevisionConflictError } from '../port.ts';
import { READER_PRAGMAS, openReadDatabase } from './database.ts';
import { findDocuments, toDocument } from './find.ts';
import { DocumentIndexer } from './indexer.ts';
import { POINT_READS, prepareStatements, type DocumentRow } from './statements.ts';

export interface SqliteReadStoreOptions {
  /** Path of the database file (created with its directory when missing), or `:memory:`. */
  readonly file: string;
  /**
   * Threads that run `get` and `getMany` off the calling thread (default 0: on it). With the read
   * models of many citizens, a card read usually misses the page cache and would hold the request
   * thread while it waits for the disk. See @nexo/sqlite-readers. Ignored for `:memory:`.
   */
  readonly readerThreads?: number;
}

type PointRead = keyof typeof POINT_READS;

const serialise = (write: DocumentWrite & { kind: 'put' }): string => {
  const body: unknown = JSON.stringify(write.body);
  if (typeof body !== 'string') throw new TypeError(`${write.collection}/${write.id} has no JSON body`);
  return body;
};

export const openSqliteReadStore = (options: SqliteReadStoreOptions): ReadStore => {
  const db = openReadDatabase(options.file);
  const statements = prepareStatements(db);
  const indexer = new DocumentIndexer(statements);
  const readers = readerPoolFor({
    file: options.file,
    threads: options.readerThreads,
    queries: POINT_READS,
    pragmas: READER_PRAGMAS,
  });
  const pointRead = async (query: PointRead, params: [string, string]): Promise<DocumentRow[]> =>
    readers ? readers.all<DocumentRow>(query, params) : statements[query].all(...params);

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

  const getOne = async <T>(collection: string, id: string): Promise<StoredDocument<T> | undefined> => {
    const [row] = await pointRead('get', [collection, id]);
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
        const doc = await getOne<T>(collection, ids[0] as string);
        return doc === undefined ? [] : [doc];
      }
      const rows = await pointRead('getMany', [collection, JSON.stringify(ids)]);
      const found = new Map(rows.map((row) => [row.id, row]));
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
      await readers?.close();
      if (db.open) db.close();
    },
  };
};
