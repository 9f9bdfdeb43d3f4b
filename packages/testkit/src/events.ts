/** Builders for events as the domain hands them to the store. */
import { randomBytes } from 'node:crypto';
import type { NewEvent } from '@nexo/eventstore';

/** A UUID v7 (RFC 9562): 48-bit millisecond timestamp, version 7, variant 10, random bits. */
export const uuidV7 = (now: number = Date.now()): string => {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes.writeUInt8((bytes.readUInt8(6) & 0x0f) | 0x70, 6);
  bytes.writeUInt8((bytes.readUInt8(8) & 0x3f) | 0x80, 8);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

/** A citizen key in the normalised `cns:` form, distinct for each `n`. */
export const citizenKey = (n: number): string => `cns:${String(700_000_000_000_000 + n)}`;

/** CNES of the establishment the builders use as sender unless told otherwise. */
export const TEST_SENDER = '2077485';

let sequence = 0;

/** A valid event with a fresh id; every field can be overridden. */
export const newEvent = (partial: Partial<NewEvent> = {}): NewEvent => {
  sequence += 1;
  return {
    id: uuidV7(),
    type: 'RecordSubmitted',
    schemaVersion: 1,
    occurredAt: new Date().toISOString(),
    sender: TEST_SENDER,
    citizenKey: citizenKey(0),
    correlationId: uuidV7(),
    data: { sequence, nested: { values: [1, 'two', null, true] } },
    ...partial,
  };
};

export const newEvents = (count: number, partial: Partial<NewEvent> = {}): NewEvent[] =>
  Array.from({ length: count }, () => newEvent(partial));
