/**
 * Kafka messages: an event is keyed by its citizen key (so one citizen's events share a partition
 * and keep their order) and carries the whole stored event as JSON; headers repeat the id and
 * type for tools. A dead letter is the same value with the group, reason and instant in headers.
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

/** A message a group gave up on. Its value is kept as it was, even when it could not be decoded. */
export const deadLetterMessage = (
  message: KafkaMessage,
  group: string,
  reason: string,
  failedAt: string,
): Message => ({
  key: message.key,
  value: message.value,
  headers: { [HEADERS.group]: group, [HEADERS.reason]: reason, [HEADERS.failedAt]: failedAt },
});

/** The consumer group a dead-letter message belongs to (its header), if it names one. */
export const deadLetterGroupOf = (message: KafkaMessage): string | undefined =>
  headerText(message.headers, HEADERS.group);

/** The dead letter of `group` in `message`, or undefined when it belongs to another group or is not an event. */
export const decodeDeadLetter = (message: KafkaMessage, group: string): DeadLetter | undefined => {
  if (deadLetterGroupOf(message) !== group) return undefined;
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
