/**
 * Group commit: every append issued in the same turn of the event loop (concurrent HTTP requests)
 * is committed in ONE write transaction, so one fsync serves them all. Each append runs inside its
 * own savepoint, so a stale expected version or a duplicate event id rejects only that caller.
 */
import type { AppendResult, NewEvent, StoredEvent } from '../port.ts';
import { ConcurrencyError, isConcurrencyError } from '../port.ts';
import type { SqliteDatabase } from './database.ts';
import { splitData, type SplitData } from './detached-document.ts';
import type { EventStatements } from './statements.ts';

interface SerialisedEvent {
  readonly event: NewEvent;
  readonly columns: SplitData;
}

interface PendingAppend {
  readonly stream: string;
  readonly expectedVersion: number;
  /** Each event with its data serialised once, before the transaction starts. */
  readonly entries: readonly SerialisedEvent[];
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

type Outcome =
  { readonly ok: true; readonly result: AppendResult } | { readonly ok: false; readonly error: unknown };

/** Failures that belong to one append (its savepoint is rolled back); anything else fails the batch. */
const rejectsOnlyThisAppend = (error: unknown): boolean => {
  if (isConcurrencyError(error)) return true;
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT');
};

const serialise = (event: NewEvent): SerialisedEvent => {
  const columns = splitData(event.data);
  if (columns === undefined) throw new TypeError(`event ${event.id} has no JSON-serialisable data`);
  return { event, columns };
};

export class GroupCommit {
  readonly #commitBatch;
  readonly #appendOne;
  readonly #onCommitted: () => void;
  #queue: PendingAppend[] = [];
  #scheduled: Promise<void> | undefined;
  #closed = false;

  constructor(db: SqliteDatabase, statements: EventStatements, withOutbox: boolean, onCommitted: () => void) {
    this.#onCommitted = onCommitted;
    // Called inside #commitBatch, better-sqlite3 turns this transaction into a SAVEPOINT.
    this.#appendOne = db.transaction((pending: PendingAppend, recordedAt: string): AppendResult => {
      const actual = statements.streamVersion.get(pending.stream) ?? 0;
      if (actual !== pending.expectedVersion) {
        throw new ConcurrencyError(pending.stream, pending.expectedVersion, actual);
      }
      const events = pending.entries.map(({ event, columns }, index): StoredEvent => {
        const version = actual + index + 1;
        const { lastInsertRowid } = statements.insertEvent.run(
          event.id,
          pending.stream,
          version,
          event.type,
          event.schemaVersion,
          event.occurredAt,
          recordedAt,
          event.sender,
          event.citizenKey,
          event.correlationId,
          columns.data,
          columns.document,
        );
        const position = Number(lastInsertRowid);
        if (withOutbox) statements.insertOutbox.run(position);
        return {
          id: event.id,
          stream: pending.stream,
          version,
          position,
          type: event.type,
          schemaVersion: event.schemaVersion,
          occurredAt: event.occurredAt,
          recordedAt,
          sender: event.sender,
          citizenKey: event.citizenKey,
          correlationId: event.correlationId,
          data: event.data,
        };
      });
      return { version: actual + events.length, events };
    });
    this.#commitBatch = db.transaction((batch: readonly PendingAppend[], recordedAt: string): Outcome[] =>
      batch.map((pending) => {
        try {
          return { ok: true, result: this.#appendOne(pending, recordedAt) };
        } catch (error) {
          if (rejectsOnlyThisAppend(error)) return { ok: false, error };
          throw error;
        }
      }),
    );
  }

  append(stream: string, expectedVersion: number, events: readonly NewEvent[]): Promise<AppendResult> {
    if (this.#closed) return Promise.reject(new Error('the event store is closed'));
    if (!Number.isSafeInteger(expectedVersion) || expectedVersion < 0) {
      return Promise.reject(
        new RangeError(`expected version must be an integer ≥ 0, got ${expectedVersion}`),
      );
    }
    let entries: SerialisedEvent[];
    try {
      entries = events.map(serialise);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<AppendResult>((resolve, reject) => {
      this.#queue.push({ stream, expectedVersion, entries, resolve, reject });
      this.#scheduled ??= new Promise<void>((flushed) =>
        setImmediate(() => {
          this.#scheduled = undefined;
          this.#flush();
          flushed();
        }),
      );
    });
  }

  /** Refuses new appends and waits until the queued ones are committed. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#scheduled;
  }

  #flush(): void {
    const batch = this.#queue;
    this.#queue = [];
    if (batch.length === 0) return;
    let outcomes: Outcome[];
    try {
      outcomes = this.#commitBatch.immediate(batch, new Date().toISOString());
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    let committed = false;
    outcomes.forEach((outcome, index) => {
      const pending = batch[index];
      if (pending === undefined) return;
      if (outcome.ok) {
        committed ||= outcome.result.events.length > 0;
        pending.resolve(outcome.result);
      } else {
        pending.reject(outcome.error);
      }
    });
    if (committed) this.#onCommitted();
  }
}
