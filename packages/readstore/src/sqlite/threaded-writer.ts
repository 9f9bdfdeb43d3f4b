/**
 * Runs the read store's writes on a thread of its own (writer-thread.mjs), which owns the writing
 * connection, so the SQLite work of a commit (upserts, index rows, the WAL write and its fsync)
 * no longer holds the calling thread: a rebuild projects the next events while the previous flush
 * is committed. The calling thread serialises each put's body (it must, either way) and sends the
 * JSON; the thread runs the requests one at a time, in the order sent.
 *
 * A failure arrives as the error the calling thread's own connection would have raised: a
 * RevisionConflictError with its fields, a SqliteError with its code (callers classify transient
 * failures by code: SQLITE_FULL stays SQLITE_FULL), or the built-in class thrown. A thread that
 * dies fails every request it owed with a WriterThreadError; the next request starts another.
 */
import Database from 'better-sqlite3';
import { RequestThread } from '@nexo/sqlite-readers';
import type { Checkpoint, CollectionIndex, DocumentWrite } from '../port.ts';
import { RevisionConflictError } from '../port.ts';
import { bodyJson } from './body-json.mjs';
import type { DocumentWriter } from './document-writer.ts';
import type { TransactionWrite } from './write-transactions.mjs';

/** A request the writer thread could not answer: it died, or the store is closed. */
export class WriterThreadError extends Error {
  readonly code = 'NEXO_ERR_READSTORE_WRITER_THREAD';
}

export interface WriterThreadOptions {
  /** The read-model file; it must exist with its schema (the calling thread's connection creates both). */
  readonly file: string;
  /** PRAGMAs the writing connection runs when it opens: the calling thread's own. */
  readonly pragmas: readonly string[];
}

/** A failed request as the thread describes it (see writer-thread.mjs). */
interface Failure {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  readonly conflict?: {
    readonly collection: string;
    readonly id: string;
    readonly expectedRevision: number;
    readonly actualRevision: number;
  };
}

type Reply =
  // Done: nothing to carry.
  | object
  | { readonly failure: Failure }
  // What the thread's message loop answers when something outside the request itself failed.
  | { readonly error: string };

type Request =
  | {
      readonly operation: 'commit';
      readonly writes: readonly TransactionWrite[];
      readonly checkpoint: Checkpoint | undefined;
    }
  | { readonly operation: 'clear' }
  | { readonly operation: 'ensureIndexes'; readonly indexes: readonly CollectionIndex[] };

const WORKER_URL = new URL('./writer-thread.mjs', import.meta.url);

const BUILT_IN_ERRORS = new Map<string, ErrorConstructor>([
  ['RangeError', RangeError],
  ['TypeError', TypeError],
  ['SyntaxError', SyntaxError],
]);

/** The error the calling thread's own connection would have raised. */
const raised = (failure: Failure): Error => {
  const { conflict, code } = failure;
  if (conflict !== undefined)
    return new RevisionConflictError(
      conflict.collection,
      conflict.id,
      conflict.expectedRevision,
      conflict.actualRevision,
    );
  if (failure.name === 'SqliteError' && code !== undefined)
    return new Database.SqliteError(failure.message, code);
  const BuiltIn = BUILT_IN_ERRORS.get(failure.name);
  if (BuiltIn !== undefined) return new BuiltIn(failure.message);
  return Object.assign(new Error(failure.message), code === undefined ? {} : { code });
};

/** Only what the thread needs: the JSON of a put, never its body object (cloning it costs more). */
const serialised = (write: DocumentWrite): TransactionWrite => {
  const { kind, collection, id, expectedRevision } = write;
  return kind === 'put'
    ? { kind, collection, id, expectedRevision, json: bodyJson(write) }
    : { kind, collection, id, expectedRevision };
};

/** Nothing for a request done; the error a failed one would have raised on the calling thread. */
const outcomeOf = (reply: Reply): void => {
  if ('failure' in reply) throw raised(reply.failure);
  if ('error' in reply) throw new WriterThreadError(reply.error);
};

export const startWriterThread = (options: WriterThreadOptions): DocumentWriter => {
  const thread = new RequestThread<Reply, void>({
    url: WORKER_URL,
    workerData: { file: options.file, pragmas: [...options.pragmas] },
    resultOf: outcomeOf,
    failed: (cause) =>
      new WriterThreadError(`the read store's writer thread failed: ${cause.message}`, { cause }),
    stopped: () => new WriterThreadError('the read store is closed'),
  });
  const send = (request: Request): Promise<void> => thread.request(request);

  return {
    commit: async (writes, checkpoint) =>
      send({
        operation: 'commit',
        writes: writes.map(serialised),
        checkpoint: checkpoint && { consumer: checkpoint.consumer, position: checkpoint.position },
      }),
    clear: async () => send({ operation: 'clear' }),
    ensureIndexes: async (indexes) =>
      send({
        operation: 'ensureIndexes',
        indexes: indexes.map(({ collection, field, sortBy }) => ({ collection, field, sortBy })),
      }),
    // Waits for the requests in flight, then stops the thread.
    close: () => thread.stop(),
  };
};
