/**
 * One consumer group on the events topic. Kafka hands each partition's messages in order (a
 * citizen's events share a partition); they go to the handler in chunks of `batchSize`, and the
 * group's offset is committed only after the handler resolved, so delivery is at-least-once. A
 * failing chunk is retried with back-off; after `maxAttempts` it is narrowed to single events, and
 * the one that still fails goes to the dead-letter topic with its reason before the offset moves.
 * A failure of the infrastructure (`isTransientFailure`) is retried until it passes instead.
 */
import type { Admin, Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { DeliverySettings } from '../delivery.ts';
import { failureReason, retriesAgain, retryDelay } from '../delivery.ts';
import type { EventBatchContext, EventHandler, StoredEvent, Subscription } from '../port.ts';
import { ACKS_ALL } from './publisher.ts';
import { deadLetterMessage, decodeEventMessage } from './messages.ts';

export interface KafkaSubscriptionSettings extends DeliverySettings {
  readonly group: string;
  readonly groupId: string;
  readonly topic: string;
  readonly deadLetterTopic: string;
  readonly handler: EventHandler;
}

type Delivery =
  | { readonly kind: 'acknowledged' }
  | { readonly kind: 'failed'; readonly error: unknown }
  | { readonly kind: 'stopped' };

const CAUGHT_UP_POLL_MS = 50;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class KafkaSubscription implements Subscription {
  readonly #settings: KafkaSubscriptionSettings;
  readonly #consumer: Consumer;
  readonly #admin: Admin;
  readonly #producer: Producer;
  readonly #context: EventBatchContext;
  #stopped = false;
  #crashed: Error | undefined;
  #endPause: (() => void) | undefined;
  #stopping: Promise<void> | undefined;

  constructor(kafka: Kafka, admin: Admin, producer: Producer, settings: KafkaSubscriptionSettings) {
    this.#settings = settings;
    this.#admin = admin;
    this.#producer = producer;
    this.#context = { group: settings.group };
    this.#consumer = kafka.consumer({
      groupId: settings.groupId,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 100,
    });
    this.#consumer.on(this.#consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) this.#crashed = payload.error;
    });
  }

  async start(): Promise<void> {
    await this.#consumer.connect();
    await this.#consumer.subscribe({ topics: [this.#settings.topic], fromBeginning: true });
    await this.#consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.#onBatch(payload),
    });
  }

  /** Waits until the group's committed offsets reach the ends the topic had when this was called. */
  async caughtUp(): Promise<void> {
    const ends = await this.#admin.fetchTopicOffsets(this.#settings.topic);
    const targets = ends
      .filter((end) => BigInt(end.high) > BigInt(end.low))
      .map((end) => ({ partition: end.partition, high: BigInt(end.high) }));
    for (;;) {
      if (await this.#reached(targets)) return;
      if (this.#crashed !== undefined) throw this.#crashed;
      if (this.#stopped) throw new Error(`consumer group ${this.#settings.group} is stopped`);
      await sleep(CAUGHT_UP_POLL_MS);
    }
  }

  /** Stops after the chunk in flight (if any) is handled; its commit is kept. */
  stop(): Promise<void> {
    return (this.#stopping ??= (async () => {
      this.#stopped = true;
      this.#endPause?.();
      await this.#consumer.disconnect();
    })());
  }

  async #reached(targets: readonly { partition: number; high: bigint }[]): Promise<boolean> {
    if (targets.length === 0) return true;
    const [committed] = await this.#admin.fetchOffsets({
      groupId: this.#settings.groupId,
      topics: [this.#settings.topic],
    });
    const offsets = new Map(
      (committed?.partitions ?? []).map((entry) => [entry.partition, BigInt(entry.offset)]),
    );
    return targets.every((target) => (offsets.get(target.partition) ?? -1n) >= target.high);
  }

  async #onBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const { batchSize } = this.#settings;
    for (let start = 0; start < batch.messages.length; start += batchSize) {
      if (this.#stopped || !payload.isRunning() || payload.isStale()) return;
      const chunk = batch.messages.slice(start, start + batchSize);
      const handled = await this.#handleChunk(batch.partition, chunk, payload);
      if (!handled) return;
    }
  }

  /** Returns false when the subscription stopped before the chunk was handled. */
  async #handleChunk(
    partition: number,
    chunk: readonly KafkaMessage[],
    payload: EachBatchPayload,
  ): Promise<boolean> {
    const last = chunk.at(-1);
    if (last === undefined) return true;
    const events = decodeAll(chunk);
    if (events !== undefined) {
      const delivery = await this.#deliver(events, payload);
      if (delivery.kind === 'stopped') return false;
      if (delivery.kind === 'acknowledged') {
        await this.#commit(partition, last, payload);
        return true;
      }
    }
    // Narrow to single messages: find the ones that cannot be applied and dead-letter only them.
    for (const message of chunk) {
      let event: StoredEvent;
      try {
        event = decodeEventMessage(message);
      } catch (error) {
        await this.#deadLetter(message, failureReason(error));
        await this.#commit(partition, message, payload);
        continue;
      }
      const single = await this.#deliver([event], payload);
      if (single.kind === 'stopped') return false;
      if (single.kind === 'failed')
        await this.#deadLetter(message, failureReason(single.error), event.position);
      await this.#commit(partition, message, payload);
    }
    return true;
  }

  async #deliver(events: readonly StoredEvent[], payload: EachBatchPayload): Promise<Delivery> {
    for (let attempt = 1; ; attempt += 1) {
      if (attempt > 1) {
        await this.#pause(retryDelay(this.#settings.retryDelayMs, attempt));
        await payload.heartbeat();
      }
      if (this.#stopped) return { kind: 'stopped' };
      try {
        await this.#settings.handler(events, this.#context);
        return { kind: 'acknowledged' };
      } catch (error) {
        if (!retriesAgain(error, attempt, this.#settings.maxAttempts)) return { kind: 'failed', error };
      }
    }
  }

  async #commit(partition: number, message: KafkaMessage, payload: EachBatchPayload): Promise<void> {
    payload.resolveOffset(message.offset);
    await this.#consumer.commitOffsets([
      { topic: this.#settings.topic, partition, offset: (BigInt(message.offset) + 1n).toString() },
    ]);
  }

  async #deadLetter(message: KafkaMessage, reason: string, position?: number): Promise<void> {
    const failedAt = new Date().toISOString();
    await this.#producer.send({
      topic: this.#settings.deadLetterTopic,
      acks: ACKS_ALL,
      messages: [deadLetterMessage(message, this.#settings.group, reason, failedAt, position)],
    });
  }

  #pause(ms: number): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const end = (): void => {
        clearTimeout(timer);
        this.#endPause = undefined;
        resolve();
      };
      const timer = setTimeout(end, ms);
      this.#endPause = end;
    });
  }
}

/** Every message of the chunk decoded, or undefined when one of them is not an event. */
const decodeAll = (chunk: readonly KafkaMessage[]): StoredEvent[] | undefined => {
  try {
    return chunk.map(decodeEventMessage);
  } catch {
    return undefined;
  }
};
