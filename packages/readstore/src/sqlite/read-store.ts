/** The embedded read-model store: JSON documents with revisions, indexes and checkpoints in SQLite. */
import { routedReads, type ReadCounts } from '@nexo/sqlite-readers';
import type {
  Checkpoint,
  CollectionIndex,
  DocumentWrite,
  FindQuery,
  ReadStore,
  StoredDocument,
} from '../port.ts';
import { RevisionConflictError } from '../port.ts';
import { READER_PRAGMAS, WRITER_PRAGMAS, openReadDatabase } from './database.ts';
import { directWriter } from './document-writer.ts';
import { findDocuments, toDocument } from './find.ts';
import { POINT_READS, prepareStatements, type DocumentRow } from './statements.ts';
import { startWriterThread } from './threaded-writer.ts';
import { prepareWriteTransactions } from './write-transactions.mjs';

export interface SqliteReadStoreOptions {
  /** Path of the database file (created with its directory when missing), or `:memory:`. */
  readonly file: string;
  /**
   * Threads that run `get` and `getMany` off the calling thread while the file's reads are slow
   * (default 0: always on it). With the read models of more citizens than the page cache holds, a
   * card read waits for the disk, and on the request thread every request would wait with it. See
   * @nexo/sqlite-readers (read-routing.ts). Ignored for `:memory:`.
   */
  readonly readerThreads?: number;
  /** The average read time, in µs, from which reads go to the threads (tests set 0: every read). */
  readonly offloadAboveMicros?: number;
  /**
   * Run `commit`, `clear` and `ensureIndexes` on a thread of their own, which owns the writing
   * connection (default false: on the calling thread). For a rebuild: its flushes are committed
   * while it projects the next events (see soleWriterCache). A live projector gains nothing, each
   * batch waiting for its own commit, and would pay a thread hop per batch. Reads stay on the
   * calling thread's connection and see every commit that resolved. Ignored for `:memory:`.
   */
  readonly writerThread?: boolean;
}

/** The embedded store, which also says where its reads ran. */
export interface SqliteReadStore extends ReadStore {
  /** The `get` and `getMany` reads so far, by where they ran (read-routing.ts): for a metrics scrape. */
  readCounts(): ReadCounts;
}

type PointRead = keyof typeof POINT_READS;

const revisionConflict = (collection: string, id: string, expected: number, actual: number): Error =>
  new RevisionConflictError(collection, id, expected, actual);

export const openSqliteReadStore = (options: SqliteReadStoreOptions): SqliteReadStore => {
  const db = openReadDatabase(options.file);
  const statements = prepareStatements(db);
  // With a writer thread, this connection writes nothing: its transactions' indexer still tells
  // `find` which indexes are declared.
  const local = prepareWriteTransactions(db, revisionConflict);
  const threaded = options.writerThread === true && options.file !== ':memory:';
  const writer = threaded
    ? startWriterThread({ file: options.file, pragmas: WRITER_PRAGMAS })
    : directWriter(local);
  const reads = routedReads({
    file: options.file,
    threads: options.readerThreads,
    queries: POINT_READS,
    pragmas: READER_PRAGMAS,
    ...(options.offloadAboveMicros === undefined ? {} : { offloadAboveMicros: options.offloadAboveMicros }),
  });
  const pointRead = (query: PointRead, params: [string, string]): Promise<DocumentRow[]> =>
    reads.all<DocumentRow>(query, params, () => statements[query].all(...params));

  const getOne = async <T>(collection: string, id: string): Promise<StoredDocument<T> | undefined> => {
    const [row] = await pointRead('get', [collection, id]);
    return row === undefined ? undefined : toDocument<T>(row);
  };

  return {
    ensureIndexes: async (indexes: readonly CollectionIndex[]): Promise<void> => {
      await writer.ensureIndexes(indexes);
      // Declared on the writer thread's connection, they are read back for `find` (WAL: this
      // connection sees the commit once it resolved).
      if (threaded) local.indexer.reload();
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
    commit: (writes: readonly DocumentWrite[], checkpoint?: Checkpoint): Promise<void> =>
      writer.commit(writes, checkpoint),
    getCheckpoint: async (consumer: string): Promise<string | undefined> =>
      statements.checkpoint.get(consumer),
    find: async <T = unknown>(query: FindQuery) => findDocuments<T>(statements, local.indexer, query),
    clear: (): Promise<void> => writer.clear(),
    readCounts: () => reads.counts(),
    close: async (): Promise<void> => {
      await writer.close();
      await reads.close();
      if (db.open) db.close();
    },
  };
};
