/**
 * Where the read store's writes run. By default on the calling thread's own connection; with
 * `writerThread`, on a thread of its own (threaded-writer.ts). Both run the same transactions
 * (write-transactions.mjs) and fail with the same errors.
 */
import type { Checkpoint, CollectionIndex, DocumentWrite } from '../port.ts';
import type { WriteTransactions } from './write-transactions.mjs';

export interface DocumentWriter {
  /** Applies every write and the checkpoint atomically, checking each write's expected revision. */
  commit(writes: readonly DocumentWrite[], checkpoint: Checkpoint | undefined): Promise<void>;
  /** Drops every document, index row and checkpoint. */
  clear(): Promise<void>;
  /** Declares indexes (and backfills new ones) on the writing connection. */
  ensureIndexes(indexes: readonly CollectionIndex[]): Promise<void>;
  /** Waits for the writes already asked for, then releases what the writer holds. */
  close(): Promise<void>;
}

/** Writes on the calling thread, each call done before it returns. */
export const directWriter = (transactions: WriteTransactions): DocumentWriter => ({
  commit: async (writes, checkpoint) => transactions.commit(writes, checkpoint),
  clear: async () => transactions.clear(),
  ensureIndexes: async (indexes) => transactions.ensureIndexes(indexes),
  close: async () => undefined,
});
