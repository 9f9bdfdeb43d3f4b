/**
 * Reads the dead-letter topic back, and resolves letters. The topic holds every group's dead
 * letters (a header names the group) and keeps them for good (retention -1), so they survive
 * restarts; a resolution is a marker message after the letters it resolves (dead-letter-ledger.ts).
 * A read is a throw-away consumer that takes each partition's messages up to the end the partition
 * had when the read began, then leaves, and its group is deleted.
 */
import { randomUUID } from 'node:crypto';
import type { Admin, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { DeadLetter } from '../port.ts';
import { DeadLetterLedger } from './dead-letter-ledger.ts';
import { deadLetterEntryOf, decodeDeadLetter, resolutionMessage } from './messages.ts';
import { ACKS_ALL } from './publisher.ts';

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
  each: (message: KafkaMessage, partition: number) => void,
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
            each(message, partition);
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

/** A letter as the listing keeps it: decoded (when its value is an event), and the message's key. */
interface ListedLetter {
  readonly letter: DeadLetter | undefined;
  readonly key: Buffer | null;
}

/** The group's letters not resolved, read from the whole topic, each with its partition. */
const readOpenLetters = async (source: DeadLetterTopic, group: string) => {
  const { ranges } = await rangesToRead(source);
  const ledger = new DeadLetterLedger<ListedLetter>();
  await readRanges(source, ranges, (message, partition) => {
    const entry = deadLetterEntryOf(message);
    if (entry?.group !== group) return;
    ledger.take(entry, partition, () => ({ letter: decodeDeadLetter(message, group), key: message.key }));
  });
  return ledger
    .letters(group)
    .flatMap(({ partition, letter: { letter, key } }) =>
      letter === undefined ? [] : [{ partition, key, letter }],
    );
};

/** A group's dead letters not resolved, oldest first (messages whose value is not an event cannot be listed). */
export const readDeadLetters = async (source: DeadLetterTopic, group: string): Promise<DeadLetter[]> =>
  (await readOpenLetters(source, group)).map(({ letter }) => letter).sort(oldestFirst);

/**
 * Resolves the group's letters of the events at `positions`: one marker per partition and position
 * they were found in, sent with acks=all after reading the topic, so each marker follows the
 * letters it resolves. A letter of the same event written between that read and the marker (the
 * group failing on it again while a replay resolves it) is resolved with them: run the replay with
 * the group stopped, as `pnpm replay` asks.
 */
export const resolveDeadLetters = async (
  source: DeadLetterTopic,
  producer: Producer,
  group: string,
  positions: readonly number[],
): Promise<number> => {
  if (positions.length === 0) return 0;
  const wanted = new Set(positions);
  const resolved = (await readOpenLetters(source, group)).filter(({ letter }) =>
    wanted.has(letter.event.position),
  );
  const resolvedAt = new Date().toISOString();
  const markers = new Map(
    resolved.map(({ partition, key, letter }) => [
      `${partition}:${letter.event.position}`,
      resolutionMessage(group, letter.event.position, { partition, key }, resolvedAt),
    ]),
  );
  if (markers.size > 0)
    await producer.send({ topic: source.topic, acks: ACKS_ALL, messages: [...markers.values()] });
  return resolved.length;
};

/**
 * Counts each group's dead letters not resolved, from headers (a letter written before letters
 * carried their position has its value decoded once), and reads only what the topic gained since
 * the previous count: once it has been read, a count costs one request for the topic's end
 * offsets. It keeps each open letter's partition and position, so that a resolution marker read
 * later takes its letters off (dead-letter-ledger.ts). Counts run one after another, each up to the
 * ends of its own start, so a count never misses a dead letter, or a resolution, written before it
 * was asked for. A count also includes a message whose value was not an event at all, which
 * `readDeadLetters` cannot list.
 */
export class DeadLetterTally {
  readonly #source: DeadLetterTopic;
  /** Per partition, the offset up to which the ledger below is made. */
  #read = new Map<number, bigint>();
  #ledger = new DeadLetterLedger<null>();
  #last: Promise<unknown> = Promise.resolve();

  constructor(source: DeadLetterTopic) {
    this.#source = source;
  }

  async count(group: string): Promise<number> {
    const caughtUp = this.#last.catch(() => undefined).then(() => this.#catchUp());
    this.#last = caughtUp;
    await caughtUp;
    return this.#ledger.count(group);
  }

  async #catchUp(): Promise<void> {
    let { ends, ranges } = await rangesToRead(this.#source, this.#read);
    let ledger: DeadLetterLedger<null> | undefined;
    // An end below what was read means the topic was deleted and made again: count it afresh.
    if ([...this.#read].some(([partition, offset]) => (ends.get(partition) ?? 0n) < offset)) {
      ({ ends, ranges } = await rangesToRead(this.#source));
      ledger = new DeadLetterLedger();
    }
    if (ranges.size > 0) {
      const next = (ledger ??= new DeadLetterLedger(this.#ledger));
      await readRanges(this.#source, ranges, (message, partition) =>
        next.take(deadLetterEntryOf(message), partition, () => null),
      );
    }
    // Kept only once the whole read succeeded: a failed one is made again by the next count.
    this.#read = ends;
    if (ledger !== undefined) this.#ledger = ledger;
  }
}
