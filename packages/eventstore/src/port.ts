/**
 * The event store and event bus ports. Every engine (embedded SQLite, MongoDB, Kafka) implements
 * these interfaces and passes the same contract suite in @nexo/testkit.
 */

/** An event as the domain hands it to the store, before it has a stream position. */
export interface NewEvent {
  /** UUID v7, chosen by the writer so that a retried append can be recognised. */
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  /** ISO-8601 instant the fact happened (comes from the command, not the store). */
  readonly occurredAt: string;
  /** CNES of the establishment whose action produced the event, or a system actor name. */
  readonly sender: string;
  /** Normalised citizen key (`cns:<15 digits>` / `cpf:<11 digits>`); the bus orders by it. */
  readonly citizenKey: string;
  readonly correlationId: string;
  readonly data: unknown;
}

/** An event once it is durable. */
export interface StoredEvent extends NewEvent {
  readonly stream: string;
  /** 1-based version inside its stream. */
  readonly version: number;
  /** 1-based position in the global log; strictly increasing in commit order. */
  readonly position: number;
  /** ISO-8601 instant the store committed the event. */
  readonly recordedAt: string;
}

export interface AppendResult {
  /** The stream version after the append. */
  readonly version: number;
  readonly events: readonly StoredEvent[];
}

/** `expectedVersion` 0 means "the stream must not exist yet". */
export interface EventStore {
  /**
   * Appends atomically: all events or none. Throws an error whose `code` is
   * `NEXO_ERR_CONCURRENCY` when the stream's version is not `expectedVersion`.
   * Each appended event also enters the outbox in the same transaction.
   */
  append(stream: string, expectedVersion: number, events: readonly NewEvent[]): Promise<AppendResult>;
  /** The whole stream, in version order; empty when the stream does not exist. */
  readStream(stream: string): Promise<StoredEvent[]>;
  /**
   * The stream's version: that of its last committed event, 0 when the stream does not exist.
   * Reads no event (one lookup on the stream's index), so a long stream costs no more than a short
   * one: what a reader asks to learn whether a view has caught up with the stream.
   */
  streamVersion(stream: string): Promise<number>;
  /** Up to `limit` events with position > `afterPosition`, in position order. */
  readAll(afterPosition: number, limit: number): Promise<StoredEvent[]>;
  /** Position of the last committed event (0 when the log is empty). */
  headPosition(): Promise<number>;
  close(): Promise<void>;
}

/** Events appended but not yet acknowledged by the bus they are relayed to. */
export interface Outbox {
  /** Up to `limit` unpublished events, oldest first. */
  pending(limit: number): Promise<StoredEvent[]>;
  /** Marks events published; marking twice is harmless. */
  markPublished(eventIds: readonly string[]): Promise<void>;
  /** How many events wait for publication (a health and metrics figure). */
  depth(): Promise<number>;
}

export interface EventBatchContext {
  /** The consumer group the batch was delivered to. */
  readonly group: string;
}

/**
 * Delivers events to a consumer group at least once, in order per citizen key. The handler
 * returns only once the batch's effect is durable; the group's checkpoint moves after that.
 * A handler that throws gets the same batch again (after a back-off) — it must be idempotent.
 */
export type EventHandler = (events: readonly StoredEvent[], context: EventBatchContext) => Promise<void>;

export interface Subscription {
  /** Resolves when the group has processed everything committed before this call. */
  caughtUp(): Promise<void>;
  stop(): Promise<void>;
}

export interface EventBus {
  subscribe(group: string, handler: EventHandler, options?: SubscribeOptions): Promise<Subscription>;
  close(): Promise<void>;
}

export interface SubscribeOptions {
  /** Largest batch handed to the handler at once. */
  readonly batchSize?: number;
  /** Attempts before an event is sent to the dead-letter store with the failure reason. */
  readonly maxAttempts?: number;
  /** Delay before the first retry of a failed batch; it doubles on each further attempt (capped). */
  readonly retryDelayMs?: number;
  /**
   * After a batch smaller than `batchSize` (the group has caught up), how long to let events gather
   * before reading the next one (default 0: at once). A group that writes each batch in one
   * transaction (the projector) then writes fewer, larger ones: pages several events touch are
   * written once, at the cost of this much more lag. A caller of `caughtUp` ends the wait at once.
   * The embedded bus honours it; on Kafka the consumer's fetch wait batches instead.
   */
  readonly lingerMs?: number;
}

/** An event a consumer group could not apply after its retries, with the reason. */
export interface DeadLetter {
  readonly group: string;
  readonly event: StoredEvent;
  readonly reason: string;
  readonly failedAt: string;
}

/**
 * A store with its outbox, opened over one storage: what an engine without a bus of its own
 * (MongoDB, whose events reach consumers through the relay and Kafka) offers, and what the
 * event store contract suite exercises.
 */
export interface EventStoreEngine {
  readonly store: EventStore;
  readonly outbox: Outbox;
  /** Waits for in-flight appends, then releases the storage. */
  close(): Promise<void>;
}

/**
 * One engine's store, outbox and bus, opened together over the same storage: what a service wires
 * and what the contract suites in @nexo/testkit exercise.
 */
export interface EventEngine extends EventStoreEngine {
  readonly bus: EventBus;
  /** Events the group gave up on, oldest first, with the reason of their last failure. */
  deadLetters(group: string): Promise<DeadLetter[]>;
  /**
   * How many events the group gave up on, counted without reading them (a health and metrics
   * figure, asked at every scrape). Each is an accepted event that the group's view lacks.
   */
  deadLetterCount(group: string): Promise<number>;
  /**
   * Resolves the group's dead letters whose events are at `positions` (log positions, as in
   * `DeadLetter.event.position`): says that the group's view holds those events now, because a
   * rebuild from the log applied them (`pnpm replay`). A resolved letter leaves `deadLetters` and
   * `deadLetterCount`, durably; its event stays in the log. A position that is no dead letter of
   * the group is ignored, so resolving again changes nothing. Resolves with how many letters it
   * resolved. Should the group give up on the same event again later, that is a new dead letter.
   * An engine whose dead-letter store is append-only (Kafka) records the resolution after the
   * letter, and the count and the listing both honour it (kafka/dead-letter-ledger.ts).
   */
  resolveDeadLetters(group: string, positions: readonly number[]): Promise<number>;
  /** Stops every subscription, waits for in-flight appends, then releases the storage. */
  close(): Promise<void>;
}

/**
 * Where the relay hands outbox events: a bus that keeps them durably (Kafka with acks=all, or a
 * second embedded log). `publish` resolves only once every event is accepted, in the given order
 * per citizen key; it may be called again with events it already accepted (after a crash between
 * publishing and marking), so consumers see duplicates and must be idempotent.
 */
export interface EventPublisher {
  publish(events: readonly StoredEvent[]): Promise<void>;
  close(): Promise<void>;
}

export const EVENTSTORE_ERRORS = {
  concurrency: 'NEXO_ERR_CONCURRENCY',
} as const;

export class ConcurrencyError extends Error {
  readonly code = EVENTSTORE_ERRORS.concurrency;
  constructor(
    readonly stream: string,
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super(`stream ${stream} is at version ${actualVersion}, expected ${expectedVersion}`);
  }
}

export const isConcurrencyError = (err: unknown): err is ConcurrencyError =>
  typeof err === 'object' &&
  err !== null &&
  (err as { code?: unknown }).code === EVENTSTORE_ERRORS.concurrency;
