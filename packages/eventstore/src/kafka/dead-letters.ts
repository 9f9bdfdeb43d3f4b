/**
 * Reads a group's dead letters back from the dead-letter topic: a throw-away consumer reads every
 * partition from the start up to the end it had when the call began, then leaves and its group is
 * deleted. The topic is the durable record, so dead letters survive restarts.
 */
import { randomUUID } from 'node:crypto';
import type { Admin, Kafka } from 'kafkajs';
import type { DeadLetter } from '../port.ts';
import { decodeDeadLetter } from './messages.ts';

const READ_TIMEOUT_MS = 30_000;

const oldestFirst = (a: DeadLetter, b: DeadLetter): number =>
  a.failedAt === b.failedAt ? a.event.position - b.event.position : a.failedAt < b.failedAt ? -1 : 1;

export const readDeadLetters = async (
  kafka: Kafka,
  admin: Admin,
  topic: string,
  group: string,
  groupPrefix: string,
): Promise<DeadLetter[]> => {
  const ends = await admin.fetchTopicOffsets(topic);
  const remaining = new Map(
    ends.filter((end) => BigInt(end.high) > BigInt(end.low)).map((end) => [end.partition, BigInt(end.high)]),
  );
  if (remaining.size === 0) return [];
  const groupId = `${groupPrefix}dead-letter-reader.${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  const letters: DeadLetter[] = [];
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
            const end = remaining.get(partition);
            if (end === undefined || BigInt(message.offset) >= end) return;
            const letter = decodeDeadLetter(message, group);
            if (letter !== undefined) letters.push(letter);
            if (BigInt(message.offset) + 1n >= end) remaining.delete(partition);
            if (remaining.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
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
  return letters.sort(oldestFirst);
};
