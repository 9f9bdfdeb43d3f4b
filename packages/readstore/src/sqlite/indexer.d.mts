import type { CollectionIndex } from '../port.ts';
import type { WriteStatements } from './write-statements.mjs';

export declare class DocumentIndexer {
  /** Loads the declarations the file holds. */
  constructor(statements: WriteStatements);
  /** The declaration `find` uses, or undefined when (collection, field) was never declared. */
  declared(collection: string, field: string): CollectionIndex | undefined;
  /** Whether `collection` has declared indexes, i.e. whether a put there needs its body parsed. */
  indexes(collection: string): boolean;
  /** Must run inside a transaction. Returns the indexes that were new or changed. */
  declare(indexes: readonly CollectionIndex[]): CollectionIndex[];
  /** Forgets in-memory declarations after a rolled-back `declare`, reloading them from the file. */
  reload(): void;
  /** Must run inside a transaction. Rewrites the index rows of one document (`created`: it did not exist). */
  put(collection: string, id: string, body: unknown, created?: boolean): void;
  /** Must run inside a transaction. */
  remove(collection: string, id: string): void;
}
