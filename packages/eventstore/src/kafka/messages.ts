/**
 * Kafka messages: an event is keyed by its citizen key (so one citizen's events share a partition
 * and keep their order) and carries the whole stored event as JSON; headers repeat the id and
 * type for tools. A dead letter is the same value with the group, reason, instant and the event's
 * log position in headers. A resolution marker (no value) names a group and a position whose
 * letters before it in its partition are resolved (dead-letter-ledger.ts).
 */
import type { IHeaders, KafkaMessage, Message } from 'kafkajs';
import type { DeadLetter, StoredEvent } from '../port.ts';
import { decodeStoredEvent, encodeStoredEvent } from '../stored-event-codec.ts';

export const HEADERS = {
  eventId: 'nexo-event-id',
  eventType: 'nexo-event-type',
  group: 'nexo-group',
  reason: 'nexo-reason',
  failedAt: 'nexo-failed-at',
  /** The dead-lettered event's log position (letters written before it existed carry none). */
  eventPosition: 'nexo-event-position',
  /** A resolution marker's group: a header of its own, so that a reader that predates markers skips them. */
  resolvedGroup: 'nexo-resolved-group',
  resolvedPosition: 'nexo-resolved-position',
  resolvedAt: 'nexo-resolved-at',
} as const;

/** Events without a citizen (rejections) share one key, so their order holds as well. */
const NO_CITIZEN_KEY = 'none';

export const partitionKey = (event: StoredEvent): string =>
  event.citizenKey === '' ? NO_CITIZEN_KEY : event.citizenKey;

export const eventMessage = (event: StoredEvent): Message => ({
  key: partitionKey(event),
  value: encodeStoredEvent(event),
  headers: { [HEADERS.eventId]: event.id, [HEADERS.eventType]: event.type },
});

const headerText = (headers: IHeaders | undefined, name: string): string | undefined => {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined) return undefined;
  return typeof first === 'string' ? first : first.toString('utf8');
};

export const decodeEventMessage = (message: KafkaMessage): StoredEvent =>
  decodeStoredEvent(message.value?.toString('utf8') ?? '');

/**
 * A message a group gave up on. Its value is kept as it was, even when it could not be decoded
 * (then `position` is unknown and the letter can be counted, never listed nor resolved).
 */
export const deadLetterMessage = (
  message: KafkaMessage,
  group: string,
  reason: string,
  failedAt: string,
  position?: number,
): Message => ({
  key: message.key,
  value: message.value,
  headers: {
    [HEADERS.group]: group,
    [HEADERS.reason]: reason,
    [HEADERS.failedAt]: failedAt,
    ...(position === undefined ? {} : { [HEADERS.eventPosition]: String(position) }),
  },
});

/** Resolves the group's letters of `position` written before it in `partition` (explicit, so that it follows them). */
export const resolutionMessage = (
  group: string,
  position: number,
  target: { readonly partition: number; readonly key: Buffer | null },
  resolvedAt: string,
): Message => ({
  key: target.key,
  value: null,
  partition: target.partition,
  headers: {
    [HEADERS.resolvedGroup]: group,
    [HEADERS.resolvedPosition]: String(position),
    [HEADERS.resolvedAt]: resolvedAt,
  },
});

/** What a message of the dead-letter topic says, read from its headers. */
export type DeadLetterEntry =
  | { readonly kind: 'letter'; readonly group: string; readonly position: number | undefined }
  | { readonly kind: 'resolution'; readonly group: string; readonly position: number };

const positionIn = (text: string | undefined): number | undefined => {
  if (text === undefined || !/^\d{1,15}$/.test(text)) return undefined;
  return Number(text);
};

/**
 * A dead letter or a resolution marker, from the headers; undefined for anything else. A letter
 * written before letters carried their position has its value decoded for it instead.
 */
export const deadLetterEntryOf = (message: KafkaMessage): DeadLetterEntry | undefined => {
  const group = headerText(message.headers, HEADERS.group);
  if (group !== undefined) {
    const header = headerText(message.headers, HEADERS.eventPosition);
    return { kind: 'letter', group, position: positionIn(header) ?? decodedPosition(message) };
  }
  const resolved = headerText(message.headers, HEADERS.resolvedGroup);
  const position = positionIn(headerText(message.headers, HEADERS.resolvedPosition));
  if (resolved === undefined || position === undefined) return undefined;
  return { kind: 'resolution', group: resolved, position };
};

const decodedPosition = (message: KafkaMessage): number | undefined => {
  try {
    return decodeEventMessage(message).position;
  } catch {
    return undefined;
  }
};

/** The dead letter of `group` in `message`, or undefined when it belongs to another group or is not an event. */
export const decodeDeadLetter = (message: KafkaMessage, group: string): DeadLetter | undefined => {
  if (headerText(message.headers, HEADERS.group) !== group) return undefined;
  let event: StoredEvent;
  try {
    event = decodeEventMessage(message);
  } catch {
    return undefined;
  }
  return {
    group,
    event,
    reason: headerText(message.headers, HEADERS.reason) ?? '',
    failedAt:
      headerText(message.headers, HEADERS.failedAt) ?? new Date(Number(message.timestamp)).toISOString(),
  };
};
