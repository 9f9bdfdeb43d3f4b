/**
 * The Kafka event bus: consumer groups on the events topic (`nexo.events.v1`), offsets committed
 * only after the handler resolved, a dead-letter topic for events a group gave up on (and for the
 * markers that resolve them). Events reach the topic through the outbox relay and the Kafka
 * publisher, never from the bus itself.
 */
import type { Admin, Producer } from 'kafkajs';
import { deliverySettings } from '../delivery.ts';
import type { DeadLetter, EventBus, EventHandler, SubscribeOptions, Subscription } from '../port.ts';
import type { KafkaOptions } from './client.ts';
import { kafkaSettings } from './client.ts';
import {
  DeadLetterTally,
  readDeadLetters,
  resolveDeadLetters,
  type DeadLetterTopic,
} from './dead-letters.ts';
import { idempotentProducer } from './publisher.ts';
import { KafkaSubscription } from './subscription.ts';
import { ensureKafkaTopics } from './topics.ts';

export interface KafkaBus extends EventBus {
  /** The group's dead letters, read back from the dead-letter topic, oldest first. */
  deadLetters(group: string): Promise<DeadLetter[]>;
  /** How many dead letters the group has, counted from headers and only what is new (DeadLetterTally). */
  deadLetterCount(group: string): Promise<number>;
  /** Writes a resolution marker after each of the group's letters of these positions (dead-letter-ledger.ts). */
  resolveDeadLetters(group: string, positions: readonly number[]): Promise<number>;
}

/** Creates the topics if missing and connects the admin client and the dead-letter producer. */
export const openKafkaBus = async (options: KafkaOptions): Promise<KafkaBus> => {
  const settings = kafkaSettings(options);
  const admin: Admin = settings.kafka.admin();
  await admin.connect();
  let producer: Producer | undefined;
  try {
    await ensureKafkaTopics(admin, settings.topics);
    producer = idempotentProducer(settings);
    await producer.connect();
  } catch (error) {
    await admin.disconnect();
    throw error;
  }
  const deadLetterProducer = producer;
  const deadLetterTopic: DeadLetterTopic = {
    kafka: settings.kafka,
    admin,
    topic: settings.topics.deadLetters.name,
    groupPrefix: settings.groupPrefix,
  };
  const tally = new DeadLetterTally(deadLetterTopic);
  const active = new Map<string, Subscription>();
  let closing: Promise<void> | undefined;

  const subscribe = async (
    group: string,
    handler: EventHandler,
    subscribeOptions: SubscribeOptions = {},
  ): Promise<Subscription> => {
    if (closing !== undefined) throw new Error('the event bus is closed');
    if (group.length === 0) throw new RangeError('a consumer group needs a name');
    if (active.has(group))
      throw new Error(`consumer group ${group} already has a subscriber in this process`);
    const subscription = new KafkaSubscription(settings.kafka, admin, deadLetterProducer, {
      group,
      groupId: `${settings.groupPrefix}${group}`,
      topic: settings.topics.events.name,
      deadLetterTopic: settings.topics.deadLetters.name,
      handler,
      ...deliverySettings(subscribeOptions),
    });
    let stopping: Promise<void> | undefined;
    const handle: Subscription = {
      caughtUp: () => subscription.caughtUp(),
      stop: () => (stopping ??= subscription.stop().finally(() => active.delete(group))),
    };
    active.set(group, handle);
    try {
      await subscription.start();
    } catch (error) {
      await handle.stop();
      throw error;
    }
    return handle;
  };

  return {
    subscribe,
    deadLetters: (group: string) => readDeadLetters(deadLetterTopic, group),
    deadLetterCount: (group: string) => tally.count(group),
    resolveDeadLetters: (group: string, positions: readonly number[]) =>
      resolveDeadLetters(deadLetterTopic, deadLetterProducer, group, positions),
    close: () =>
      (closing ??= (async () => {
        await Promise.all([...active.values()].map((subscription) => subscription.stop()));
        await deadLetterProducer.disconnect();
        await admin.disconnect();
      })()),
  };
};
