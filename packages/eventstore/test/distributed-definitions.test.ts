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
import { DeadLetterLedger } from '../src/kafka/dead-letter-ledger.ts';
import {
  deadLetterEntryOf,
  deadLetterMessage,
  decodeDeadLetter,
  decodeEventMessage,
  eventMessage,
  resolutionMessage,
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

describe('kafka dead-letter resolution (the rule the count and the listing share)', () => {
  const letterOf = (event: StoredEvent, group: string, withPosition = true): KafkaMessage =>
    received(
      deadLetterMessage(
        received(eventMessage(event)),
        group,
        'Error: x',
        '2025-03-01T10:00:01.000Z',
        withPosition ? event.position : undefined,
      ),
    );
  const markerOf = (group: string, position: number, partition: number): KafkaMessage =>
    received(
      resolutionMessage(group, position, { partition, key: Buffer.from('k') }, '2025-03-02T00:00:00.000Z'),
    );

  it('a marker resolves the letters of its group and position read before it in its partition, and only those', () => {
    const event = stored({ position: 42 });
    const other = stored({ position: 43 });
    const ledger = new DeadLetterLedger<string>();
    const take = (message: KafkaMessage, partition: number, name = '') =>
      ledger.take(deadLetterEntryOf(message), partition, () => name);
    take(letterOf(event, 'projector'), 0, 'first failure');
    take(letterOf(event, 'projector'), 0, 'same event again');
    take(letterOf(other, 'projector'), 0, 'other event');
    take(letterOf(event, 'audit'), 0, 'other group');
    take(letterOf(event, 'projector'), 1, 'other partition');
    expect(ledger.count('projector')).toBe(4);

    take(markerOf('projector', 42, 0), 0);
    expect(ledger.count('projector')).toBe(2);
    expect(ledger.letters('projector')).toEqual([
      { partition: 0, letter: 'other event' },
      { partition: 1, letter: 'other partition' },
    ]);
    expect(ledger.count('audit')).toBe(1);
    // A marker that resolves nothing changes nothing; a letter after the marker is a new failure.
    take(markerOf('projector', 99, 0), 0);
    take(letterOf(event, 'projector'), 0, 'failed again');
    expect(ledger.count('projector')).toBe(3);
    // A copy takes messages without changing the ledger it was made from (a count that fails half-way).
    const copy = new DeadLetterLedger(ledger);
    copy.take(deadLetterEntryOf(markerOf('projector', 43, 0)), 0, () => '');
    expect([copy.count('projector'), ledger.count('projector')]).toEqual([2, 3]);
  });

  it('takes the position from the value for a letter written before letters carried it; an undecodable letter is never resolved', () => {
    const event = stored({ position: 42 });
    expect(deadLetterEntryOf(letterOf(event, 'projector', false))).toEqual({
      kind: 'letter',
      group: 'projector',
      position: 42,
    });
    const undecodable = received(
      deadLetterMessage({ ...received(eventMessage(event)), value: Buffer.from('{') }, 'projector', 'x', 'y'),
    );
    expect(deadLetterEntryOf(undecodable)).toEqual({
      kind: 'letter',
      group: 'projector',
      position: undefined,
    });
    expect(deadLetterEntryOf(markerOf('projector', 42, 2))).toEqual({
      kind: 'resolution',
      group: 'projector',
      position: 42,
    });
    // Neither a letter nor a marker: an event message.
    expect(deadLetterEntryOf(received(eventMessage(event)))).toBeUndefined();
    const ledger = new DeadLetterLedger<null>();
    ledger.take(deadLetterEntryOf(undecodable), 0, () => null);
    ledger.take(deadLetterEntryOf(markerOf('projector', 42, 0)), 0, () => null);
    expect(ledger.count('projector')).toBe(1);
  });
});
