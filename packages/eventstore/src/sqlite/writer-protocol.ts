/** Messages between an event store and its writer thread (see writer-thread.ts). */
import type { NewEvent } from '../port.ts';

export interface WriterWorkerData {
  readonly file: string;
  readonly outbox: boolean;
}

/** One append as it crosses to the writer: the events with their data serialised already. */
export interface AppendRequest {
  readonly id: number;
  readonly stream: string;
  readonly expectedVersion: number;
  readonly events: readonly SerialisedNewEvent[];
}

export type SerialisedNewEvent = Omit<NewEvent, 'data'> & { readonly data: string };

export type ToWriter =
  { readonly type: 'append'; readonly appends: readonly AppendRequest[] } | { readonly type: 'close' };

/** What the writer committed for one append: enough for the caller to build its StoredEvents. */
export interface AppendCommitted {
  readonly id: number;
  readonly ok: true;
  readonly version: number;
  readonly positions: readonly number[];
  readonly recordedAt: string;
}

/** Why one append failed; `code` carries NEXO_ERR_CONCURRENCY or the SQLite constraint code. */
export interface AppendFailed {
  readonly id: number;
  readonly ok: false;
  readonly error: {
    readonly message: string;
    readonly code?: string;
    readonly stream?: string;
    readonly expectedVersion?: number;
    readonly actualVersion?: number;
  };
}

export type FromWriter =
  | { readonly type: 'ready' }
  | { readonly type: 'failed'; readonly reason: string }
  | { readonly type: 'committed'; readonly outcomes: readonly (AppendCommitted | AppendFailed)[] }
  | { readonly type: 'closed' };
