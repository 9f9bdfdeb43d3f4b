/**
 * A stored event as it travels between processes (a Kafka message value, a relayed log entry):
 * JSON with every field of `StoredEvent`. Decoding parses `unknown` and checks each field, so a
 * foreign or damaged message is refused with a reason instead of reaching a handler half-typed.
 */
import type { StoredEvent } from './port.ts';

const STRING_FIELDS = [
  'id',
  'stream',
  'type',
  'occurredAt',
  'recordedAt',
  'sender',
  'citizenKey',
  'correlationId',
] as const;
const INTEGER_FIELDS = ['version', 'position', 'schemaVersion'] as const;

export class UndecodableEventError extends Error {
  readonly code = 'NEXO_ERR_UNDECODABLE_EVENT';
}

export const encodeStoredEvent = (event: StoredEvent): string =>
  JSON.stringify({
    id: event.id,
    stream: event.stream,
    version: event.version,
    position: event.position,
    type: event.type,
    schemaVersion: event.schemaVersion,
    occurredAt: event.occurredAt,
    recordedAt: event.recordedAt,
    sender: event.sender,
    citizenKey: event.citizenKey,
    correlationId: event.correlationId,
    data: event.data,
  });

/** Checks that `value` (already parsed) has the shape of a stored event. */
export const asStoredEvent = (value: unknown): StoredEvent => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UndecodableEventError('a stored event must be a JSON object');
  }
  const record = value as Record<string, unknown>;
  for (const field of STRING_FIELDS) {
    if (typeof record[field] !== 'string') throw new UndecodableEventError(`${field} must be a string`);
  }
  for (const field of INTEGER_FIELDS) {
    if (!Number.isSafeInteger(record[field])) throw new UndecodableEventError(`${field} must be an integer`);
  }
  if (!('data' in record)) throw new UndecodableEventError('data is missing');
  return {
    id: record.id as string,
    stream: record.stream as string,
    version: record.version as number,
    position: record.position as number,
    type: record.type as string,
    schemaVersion: record.schemaVersion as number,
    occurredAt: record.occurredAt as string,
    recordedAt: record.recordedAt as string,
    sender: record.sender as string,
    citizenKey: record.citizenKey as string,
    correlationId: record.correlationId as string,
    data: record.data,
  };
};

export const decodeStoredEvent = (text: string): StoredEvent => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UndecodableEventError('the message is not JSON');
  }
  return asStoredEvent(parsed);
};
