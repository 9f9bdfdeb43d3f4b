/**
 * Appends to the embedded audit log from a thread of its own (writer-thread.mjs). Every read of
 * individual data waits for its entry, and with `synchronous=FULL` each commit ends in an fsync: on
 * the request thread that wait held every other request (a fifth of a card read's time on the
 * request thread, measured). The thread commits one batch at a time; what arrives meanwhile waits
 * and goes in the next batch, so under load one fsync serves many entries (group commit).
 */
import { RequestThread } from '@nexo/sqlite-readers';
import type { AuditEntry, AuditEvent } from './port.ts';

export interface AuditWriterOptions {
  /** The audit file; it must exist with its schema (the opening connection creates both). */
  readonly file: string;
  /** PRAGMAs the writer's connection runs when it opens. */
  readonly pragmas: readonly string[];
  /** Reads the last entry's `seq` and `hash`. */
  readonly headSql: string;
  /** Inserts one entry from named parameters (see writer-thread.mjs). */
  readonly insertSql: string;
}

export interface AuditWriter {
  append(event: AuditEvent): Promise<AuditEntry>;
  /** Waits for the entries already asked for, then stops the thread. */
  close(): Promise<void>;
}

interface Pending {
  readonly event: AuditEvent;
  readonly resolve: (entry: AuditEntry) => void;
  readonly reject: (error: unknown) => void;
}

type Link = Pick<AuditEntry, 'seq' | 'prevHash' | 'hash'>;
type Reply = { readonly links: readonly Link[] } | { readonly error: string };

const WORKER_URL = new URL('./writer-thread.mjs', import.meta.url);

const linksOf = (reply: Reply): readonly Link[] => {
  if ('error' in reply) throw new Error(`the audit log could not be written: ${reply.error}`);
  return reply.links;
};

/**
 * The first field the file requires that `event` lacks. The thread commits a batch in one
 * transaction, so an entry the file would refuse is refused alone, before it can take the
 * others' commit down with it.
 */
const missingField = (event: AuditEvent): string | undefined => {
  const texts: ReadonlyArray<readonly [string, unknown]> = [
    ['at', event.at],
    ['actor.kind', event.actor?.kind],
    ['actor.id', event.actor?.id],
    ['origin.address', event.origin?.address],
    ['action', event.action],
    ['outcome', event.outcome],
    ['correlationId', event.correlationId],
  ];
  const missing = texts.find(([, value]) => typeof value !== 'string');
  if (missing) return missing[0];
  return Number.isInteger(event.status) ? undefined : 'status';
};

export const startAuditWriter = (options: AuditWriterOptions): AuditWriter => {
  /** A thread that dies fails the batch it held; the next batch starts another thread. */
  const thread = new RequestThread<Reply, readonly Link[]>({
    url: WORKER_URL,
    workerData: options,
    resultOf: linksOf,
    failed: (cause) =>
      new Error(`the audit log could not be written: the writer thread failed: ${cause.message}`, { cause }),
    // Never raised: append() refuses first, and close() stops the thread only once the queue is empty.
    stopped: () => new Error('the audit log is closed'),
  });
  let queue: Pending[] = [];
  /** The batch the thread is committing; one at a time, so entries keep their order. */
  let committing: Pending[] | undefined;
  let scheduled = false;
  let closing: Promise<void> | undefined;
  let drained: (() => void) | undefined;

  const commit = async (batch: readonly Pending[]): Promise<void> => {
    try {
      const links = await thread.request({ events: batch.map((p) => p.event) });
      batch.forEach((p, i) => p.resolve({ ...p.event, ...(links[i] as Link) }));
    } catch (error) {
      for (const p of batch) p.reject(error);
    }
  };

  const next = () => {
    if (committing !== undefined) return;
    if (queue.length === 0) {
      drained?.();
      return;
    }
    committing = queue;
    queue = [];
    void commit(committing).then(() => {
      committing = undefined;
      next();
    });
  };

  return {
    append: (event) => {
      if (closing) return Promise.reject(new Error('the audit log is closed'));
      const missing = missingField(event);
      if (missing !== undefined)
        return Promise.reject(new Error(`the audit log could not be written: the entry has no ${missing}`));
      return new Promise<AuditEntry>((resolve, reject) => {
        queue.push({ event, resolve, reject });
        // The appends of one tick go together.
        if (scheduled) return;
        scheduled = true;
        setImmediate(() => {
          scheduled = false;
          next();
        });
      });
    },
    close: () =>
      (closing ??= (async () => {
        if (scheduled || committing !== undefined || queue.length > 0)
          await new Promise<void>((resolve) => (drained = resolve));
        await thread.stop();
      })()),
  };
};
