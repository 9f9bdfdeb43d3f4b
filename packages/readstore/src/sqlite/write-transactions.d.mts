import type Database from 'better-sqlite3';
import type { Checkpoint, CollectionIndex, DocumentWrite } from '../port.ts';
import type { DocumentIndexer } from './indexer.mjs';

/**
 * A write as the writing connection takes it. The calling thread passes its writes as they are
 * (a put's body is serialised inside the transaction); the writer thread gets each put's body as
 * JSON the calling thread serialised, and no body object.
 */
export type TransactionWrite = DocumentWrite | SerialisedPut;

export interface SerialisedPut {
  readonly kind: 'put';
  readonly collection: string;
  readonly id: string;
  readonly expectedRevision: number;
  readonly json: string;
}

/** Builds the error a write with a stale expected revision fails its commit with. */
export type ConflictError = (
  collection: string,
  id: string,
  expectedRevision: number,
  actualRevision: number,
) => Error;

export interface WriteTransactions {
  /** The declarations the writes index by (loaded from the file, changed by `ensureIndexes`). */
  readonly indexer: DocumentIndexer;
  /** Applies every write and the checkpoint in one IMMEDIATE transaction, or nothing. */
  commit(writes: readonly TransactionWrite[], checkpoint: Checkpoint | undefined): void;
  /** Drops every document, index row and checkpoint; declarations stay. */
  clear(): void;
  /** Declares the indexes and backfills new ones; on failure nothing changes, in memory or file. */
  ensureIndexes(indexes: readonly CollectionIndex[]): void;
}

export declare const prepareWriteTransactions: (
  db: Database.Database,
  conflict: ConflictError,
) => WriteTransactions;
