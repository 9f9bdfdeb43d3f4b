/**
 * What the distributed adapters read and write without a server: the infra definitions they apply
 * at start-up, and the Kafka message format (key, value, dead-letter headers).
 */
import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { newEvent } from '@nexo/testkit';
import type { StoredEvent } from '../src/index.ts';
import {
  decodeStoredEvent,
  encodeStoredEvent,
  loadKafkaTopics,
  loadMongoIndexes,
  prefixTopics,
} from '../src/index.ts';
import {
  deadLetterMessage,
  decodeDeadLetter,
  decodeEventMessage,
  eventMessage,
} from '../src/kafka/messages.ts';

const stored = (partial: Partial<StoredEvent> = {}): StoredEvent => ({
  ...newEvent(),
  stream: 'record-1',
  version: 3,
  position: 42,
  recordedAt: '2025-03-01T10:00:00.000Z',
  ...partial,
});

/** The message as a consumer receives it from the broker. */
const received = (message: ReturnType<typeof eventMessage>, offset = '7'): KafkaMessage => ({
  key: Buffer.from(String(message.key)),
  value: Buffer.from(String(message.value)),
  headers: Object.fromEntries(
    Object.entries(message.headers ?? {}).map(([name, value]) => [name, Buffer.from(String(value))]),
  ),
  timestamp: '1740823200000',
  attributes: 0,
  offset,
});

describe('infra definitions', () => {
  it('names versioned Kafka topics and can prefix them for an isolated namespace', () => {
    const topics = loadKafkaTopics();
    expect(topics.events).toMatchObject({ name: 'nexo.events.v1', replicationFactor: 1 });
    expect(topics.deadLetters.name).toBe('nexo.events.dlq.v1');
    expect(topics.events.partitions).toBeGreaterThan(1);
    expect(topics.events.config['retention.ms']).toBe('-1');
    const prefixed = prefixTopics(topics, 'test-1.');
    expect([prefixed.events.name, prefixed.deadLetters.name]).toEqual([
      'test-1.nexo.events.v1',
      'test-1.nexo.events.dlq.v1',
    ]);
  });

  it('declares the unique (stream, version) index the append relies on, and the outbox by position', () => {
    const indexes = loadMongoIndexes('eventstore');
    expect(indexes.get('events')).toEqual([
      { name: 'stream_version', key: { stream: 1, version: 1 }, unique: true },
      { name: 'event_id', key: { id: 1 }, unique: true },
    ]);
    expect(indexes.get('outbox')).toEqual([{ name: 'position', key: { position: 1 } }]);
    expect(indexes.has('counters')).toBe(true);
    expect(() => loadMongoIndexes('nothing')).toThrow('has no "nothing" section');
  });
});

describe('kafka messages', () => {
  it('keys an event by its citizen key and carries the whole stored event', () => {
    const event = stored({ data: { nested: [1, 'two', null], ok: true } });
    const message = eventMessage(event);
    expect(message.key).toBe(event.citizenKey);
    expect(message.headers).toEqual({ 'nexo-event-id': event.id, 'nexo-event-type': event.type });
    expect(decodeEventMessage(received(message))).toEqual(event);
    expect(eventMessage(stored({ citizenKey: '' })).key).toBe('none');
  });

  it('refuses a message that is not a stored event, saying why', () => {
    expect(() => decodeStoredEvent('not json')).toThrow('not JSON');
    expect(() => decodeStoredEvent('[]')).toThrow('JSON object');
    const { position: _position, ...withoutPosition } = stored();
    expect(() => decodeStoredEvent(JSON.stringify(withoutPosition))).toThrow('position must be an integer');
    expect(() => decodeStoredEvent(encodeStoredEvent(stored()).replace('"data"', '"other"'))).toThrow(
      'data is missing',
    );
  });

  it('reads back a dead letter of its own group only, with the reason and the instant', () => {
    const event = stored();
    const original = received(eventMessage(event));
    const letter = received(
      deadLetterMessage(original, 'projector', 'NEXO_ERR_X: cannot apply', '2025-03-01T10:00:01.000Z'),
    );
    expect(decodeDeadLetter(letter, 'projector')).toEqual({
      group: 'projector',
      event,
      reason: 'NEXO_ERR_X: cannot apply',
      failedAt: '2025-03-01T10:00:01.000Z',
    });
    expect(decodeDeadLetter(letter, 'audit')).toBeUndefined();
    const undecodable = received(
      deadLetterMessage({ ...original, value: Buffer.from('{') }, 'projector', 'x', 'y'),
    );
    expect(decodeDeadLetter(undecodable, 'projector')).toBeUndefined();
  });
});
