/**
 * The read-model store port: JSON documents in named collections, written with optimistic
 * revisions, with consumer checkpoints committed in the same transaction as the documents.
 */

export interface StoredDocument<T = unknown> {
  readonly collection: string;
  readonly id: string;
  /** Starts at 1 on first write and grows by one on each write. */
  readonly revision: number;
  readonly body: T;
}

/** A write inside a commit. `expectedRevision` 0 means "must not exist yet". */
export type DocumentWrite =
  | {
      readonly kind: 'put';
      readonly collection: string;
      readonly id: string;
      readonly expectedRevision: number;
      readonly body: unknown;
    }
  | {
      readonly kind: 'delete';
      readonly collection: string;
      readonly id: string;
      readonly expectedRevision: number;
    };

export interface Checkpoint {
  /** Consumer name, e.g. the projector's group. */
  readonly consumer: string;
  /** Opaque position the consumer resumes after (global log position, or a Kafka offset map). */
  readonly position: string;
}

/** Declares which body fields a collection is queried by; the adapter indexes them. */
export interface CollectionIndex {
  readonly collection: string;
  /** Equality field, a dotted path into the body, e.g. `sender`. */
  readonly field: string;
  /**
   * Sort field (dotted path) the results are ordered by, descending, ties broken by id (also
   * descending); documents without the field come last. When `field` holds an array, the
   * document is found by each of its elements.
   */
  readonly sortBy: string;
}

export interface FindQuery {
  readonly collection: string;
  readonly field: string;
  readonly value: string;
  readonly limit: number;
  /** Opaque cursor from a previous page's `next`. */
  readonly cursor?: string;
}

export interface FindPage<T = unknown> {
  readonly documents: StoredDocument<T>[];
  /** Present when more documents follow. */
  readonly next?: string;
}

export interface ReadStore {
  /** Creates the indexes if missing; idempotent, called at start-up. */
  ensureIndexes(indexes: readonly CollectionIndex[]): Promise<void>;
  get<T = unknown>(collection: string, id: string): Promise<StoredDocument<T> | undefined>;
  getMany<T = unknown>(collection: string, ids: readonly string[]): Promise<StoredDocument<T>[]>;
  /**
   * Applies every write and the checkpoint atomically. Throws an error whose `code` is
   * `NEXO_ERR_REVISION_CONFLICT` when a write's expected revision does not match, and then
   * nothing of the commit is applied.
   */
  commit(writes: readonly DocumentWrite[], checkpoint?: Checkpoint): Promise<void>;
  getCheckpoint(consumer: string): Promise<string | undefined>;
  /** Documents whose `field` equals `value`, ordered by the index's sort field (newest first). */
  find<T = unknown>(query: FindQuery): Promise<FindPage<T>>;
  /** Drops every document and checkpoint (used by a rebuild from the log). */
  clear(): Promise<void>;
  close(): Promise<void>;
}

export const READSTORE_ERRORS = {
  revisionConflict: 'NEXO_ERR_REVISION_CONFLICT',
  invalidCursor: 'NEXO_ERR_INVALID_CURSOR',
} as const;

/** A `find` cursor this store did not issue (forged, truncated, or from another query). */
export class InvalidCursorError extends Error {
  readonly code = READSTORE_ERRORS.invalidCursor;
  constructor() {
    super('the find cursor is not one this store issued');
  }
}

export const isInvalidCursor = (err: unknown): err is InvalidCursorError =>
  typeof err === 'object' &&
  err !== null &&
  (err as { code?: unknown }).code === READSTORE_ERRORS.invalidCursor;

export class RevisionConflictError extends Error {
  readonly code = READSTORE_ERRORS.revisionConflict;
  constructor(
    readonly collection: string,
    readonly id: string,
    readonly expectedRevision: number,
    readonly actualRevision: number,
  ) {
    super(`${collection}/${id} is at revision ${actualRevision}, expected ${expectedRevision}`);
  }
}

export const isRevisionConflict = (err: unknown): err is RevisionConflictError =>
  typeof err === 'object' &&
  err !== null &&
  (err as { code?: unknown }).code === READSTORE_ERRORS.revisionConflict;
