/**
 * Reads the dead-letter topic back. The topic holds every group's dead letters (a header names the
 * group) and keeps them for good (retention -1), so they survive restarts. A read is a throw-away
 * consumer that takes each partition's messages up to the end the partition had when the read
 * began, then leaves, and its group is deleted.
 */
import { randomUUID } from 'node:crypto';
import type { Admin, Kafka, KafkaMessage } from 'kafkajs';
import type { DeadLetter } from '../port.ts';
import { deadLetterGroupOf, decodeDeadLetter } from './messages.ts';

const READ_TIMEOUT_MS = 30_000;

/** Where the dead-letter topic is and how throw-away readers are named. */
export interface DeadLetterTopic {
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly topic: string;
  readonly groupPrefix: string;
}

/** The offsets of one partition a read takes: from `from` up to, not including, `end`. */
interface Range {
  readonly from: bigint;
  readonly end: bigint;
}

const oldestFirst = (a: DeadLetter, b: DeadLetter): number =>
  a.failedAt === b.failedAt ? a.event.position - b.event.position : a.failedAt < b.failedAt ? -1 : 1;

/** The topic's end offset per partition, and the ranges from `read` (default: the start) up to them. */
const rangesToRead = async (
  source: DeadLetterTopic,
  read: ReadonlyMap<number, bigint> = new Map(),
): Promise<{ ends: Map<number, bigint>; ranges: Map<number, Range> }> => {
  const offsets = await source.admin.fetchTopicOffsets(source.topic);
  const ends = new Map<number, bigint>();
  const ranges = new Map<number, Range>();
  for (const { partition, low, high } of offsets) {
    const end = BigInt(high);
    const start = read.get(partition) ?? 0n;
    const from = start > BigInt(low) ? start : BigInt(low);
    ends.set(partition, end);
    if (end > from) ranges.set(partition, { from, end });
  }
  return { ends, ranges };
};

/** Hands `each` every message of the ranges (in offset order per partition). */
const readRanges = async (
  source: DeadLetterTopic,
  ranges: ReadonlyMap<number, Range>,
  each: (message: KafkaMessage) => void,
): Promise<void> => {
  if (ranges.size === 0) return;
  const { kafka, admin, topic } = source;
  const remaining = new Map(ranges);
  const groupId = `${source.groupPrefix}dead-letter-reader.${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out reading dead letters from ${topic}`)),
        READ_TIMEOUT_MS,
      );
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            const range = remaining.get(partition);
            const offset = BigInt(message.offset);
            if (range === undefined || offset < range.from || offset >= range.end) return;
            each(message);
            if (offset + 1n >= range.end) remaining.delete(partition);
            if (remaining.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .then(() => {
          // A range that starts past what the partition was read up to before (a count catching
          // up) starts there instead of at the partition's beginning. Only a shortcut: messages
          // before `from` are skipped above all the same.
          for (const [partition, range] of remaining) {
            if (range.from === 0n) continue;
            try {
              consumer.seek({ topic, partition, offset: range.from.toString() });
            } catch {
              // The read ended meanwhile.
            }
          }
        })
        .catch((error: unknown) => {
          clearTimeout(timer);
          reject(error instanceof Error ? error : new Error(String(error)));
        });
    });
  } finally {
    await consumer.disconnect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
  }
};

/** A group's dead letters, oldest first (messages whose value is not an event cannot be listed). */
export const readDeadLetters = async (source: DeadLetterTopic, group: string): Promise<DeadLetter[]> => {
  const { ranges } = await rangesToRead(source);
  const letters: DeadLetter[] = [];
  await readRanges(source, ranges, (message) => {
    const letter = decodeDeadLetter(message, group);
    if (letter !== undefined) letters.push(letter);
  });
  return letters.sort(oldestFirst);
};

/**
 * Counts each group's dead letters by the group header, never decoding a value, and reads only
 * what the topic gained since the previous count: once it has been read, a count costs one request
 * for the topic's end offsets. Counts run one after another, each up to the ends of its own start,
 * so a count never misses a dead letter written before it was asked for. A count also includes a
 * message whose value was not an event at all, which `readDeadLetters` cannot list.
 */
export class DeadLetterTally {
  readonly #source: DeadLetterTopic;
  /** Per partition, the offset up to which the counts below are made. */
  #read = new Map<number, bigint>();
  #counts = new Map<string, number>();
  #last: Promise<unknown> = Promise.resolve();

  constructor(source: DeadLetterTopic) {
    this.#source = source;
  }

  async count(group: string): Promise<number> {
    const caughtUp = this.#last.catch(() => undefined).then(() => this.#catchUp());
    this.#last = caughtUp;
    await caughtUp;
    return this.#counts.get(group) ?? 0;
  }

  async #catchUp(): Promise<void> {
    let { ends, ranges } = await rangesToRead(this.#source, this.#read);
    let counts = new Map(this.#counts);
    // An end below what was read means the topic was deleted and made again: count it afresh.
    if ([...this.#read].some(([partition, offset]) => (ends.get(partition) ?? 0n) < offset)) {
      ({ ends, ranges } = await rangesToRead(this.#source));
      counts = new Map();
    }
    await readRanges(this.#source, ranges, (message) => {
      const group = deadLetterGroupOf(message);
      if (group !== undefined) counts.set(group, (counts.get(group) ?? 0) + 1);
    });
    // Kept only once the whole read succeeded: a failed one is made again by the next count.
    this.#read = ends;
    this.#counts = counts;
  }
}
