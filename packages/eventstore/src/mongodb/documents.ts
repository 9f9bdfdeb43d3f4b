/** The event store's MongoDB documents and their conversion to and from `StoredEvent`. */
import type { StoredEvent } from '../port.ts';

export const EVENT_COLLECTIONS = {
  events: 'events',
  outbox: 'outbox',
  counters: 'counters',
} as const;

/** The counter document holding the last global position handed out. */
export const POSITION_COUNTER = 'position';

/** An event; `_id` is its global position. `data` is kept as JSON text so any JSON round-trips exactly. */
export interface EventDocument {
  readonly _id: number;
  readonly id: string;
  readonly stream: string;
  readonly version: number;
  readonly type: string;
  readonly schemaVersion: number;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly sender: string;
  readonly citizenKey: string;
  readonly correlationId: string;
  readonly data: string;
}

/** An event waiting for the relay, by event id. */
export interface OutboxDocument {
  readonly _id: string;
  readonly position: number;
}

export interface CounterDocument {
  readonly _id: string;
  readonly value: number;
}

export const toStoredEvent = (doc: EventDocument): StoredEvent => ({
  id: doc.id,
  stream: doc.stream,
  version: doc.version,
  position: doc._id,
  type: doc.type,
  schemaVersion: doc.schemaVersion,
  occurredAt: doc.occurredAt,
  recordedAt: doc.recordedAt,
  sender: doc.sender,
  citizenKey: doc.citizenKey,
  correlationId: doc.correlationId,
  data: JSON.parse(doc.data) as unknown,
});

export const toEventDocument = (event: StoredEvent, data: string): EventDocument => ({
  _id: event.position,
  id: event.id,
  stream: event.stream,
  version: event.version,
  type: event.type,
  schemaVersion: event.schemaVersion,
  occurredAt: event.occurredAt,
  recordedAt: event.recordedAt,
  sender: event.sender,
  citizenKey: event.citizenKey,
  correlationId: event.correlationId,
  data,
});
