/**
 * One consumer group reading the ordered log from its durable checkpoint. Batches are handed over
 * in position order (hence in order per citizen key); the checkpoint moves only after the handler
 * resolves. A failing batch is retried with back-off; after `maxAttempts` the batch is narrowed to
 * single events and the one that still fails is dead-lettered with its reason, then the group moves on.
 * A failure of the infrastructure (`isTransientFailure`) is retried until it passes instead.
 */
import type { EventBatchContext, EventHandler, StoredEvent, Subscription } from '../port.ts';
import type { ConsumerLog } from './consumer-log.ts';
import { failureReason, retriesAgain, retryDelay } from '../delivery.ts';

export interface SubscriptionSettings {
  readonly group: string;
  readonly handler: EventHandler;
  readonly batchSize: number;
  readonly maxAttempts: number;
  readonly retryDelayMs: number;
  /** After a partial batch, how long events gather before the next read (SubscribeOptions). */
  readonly lingerMs: number;
  /** How long an idle group waits before looking for events committed by another process. */
  readonly pollIntervalMs: number;
}

/**
 * A busy group writes its checkpoint at most this often, and always before it idles or stops. The
 * checkpoint lives in the event log's file: each write by the consumer's connection makes every
 * other connection to the file (the appending one) drop its page cache, so one write per batch
 * slowed appends down when the consumer runs on its own thread. A crash re-delivers at most this
 * much, which at-least-once delivery allows.
 */
const CHECKPOINT_EVERY_MS = 250;

type Delivery =
  | { readonly kind: 'acknowledged' }
  | { readonly kind: 'failed'; readonly error: unknown }
  | { readonly kind: 'stopped' };

interface CaughtUpWaiter {
  readonly target: number;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

export class LogSubscription implements Subscription {
  readonly #log: ConsumerLog;
  readonly #settings: SubscriptionSettings;
  readonly #context: EventBatchContext;
  #position: number;
  /** The position last written as the group's checkpoint, and when. */
  #saved: number;
  #savedAt = 0;
  #stopped = false;
  #waiters: CaughtUpWaiter[] = [];
  /** Ends the current pause early; `#wakeOnCommit` says whether a commit may do so. */
  #endPause: (() => void) | undefined;
  #wakeOnCommit = false;
  /** The current pause lets events gather (`lingerMs`): a caller of `caughtUp` ends it. */
  #lingering = false;
  #running: Promise<void> = Promise.resolve();

  constructor(log: ConsumerLog, settings: SubscriptionSettings) {
    this.#log = log;
    this.#settings = settings;
    this.#context = { group: settings.group };
    this.#position = log.checkpoint(settings.group);
    this.#saved = this.#position;
  }

  start(): void {
    this.#running = this.#run();
  }

  /** Events were committed in this process: an idle group looks at once. */
  nudge(): void {
    if (this.#wakeOnCommit) this.#endPause?.();
  }

  async caughtUp(): Promise<void> {
    const target = this.#log.head();
    if (this.#position >= target) return;
    if (this.#stopped) throw new Error(`consumer group ${this.#settings.group} is stopped`);
    const waiting = new Promise<void>((resolve, reject) => this.#waiters.push({ target, resolve, reject }));
    if (this.#lingering) this.#endPause?.();
    await waiting;
  }

  /** Stops after the batch in flight (if any) is handled; its acknowledgement is kept. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#endPause?.();
    await this.#running;
    this.#persist(true);
    const stopped = new Error(`consumer group ${this.#settings.group} stopped before catching up`);
    for (const waiter of this.#waiters.splice(0)) waiter.reject(stopped);
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      try {
        await this.#step();
      } catch {
        // The log itself could not be read or written (e.g. the file is locked for longer than the
        // busy timeout): nothing was acknowledged, so the same events are tried again later.
        await this.#pause(this.#settings.pollIntervalMs, false);
      }
    }
  }

  async #step(): Promise<void> {
    const events = this.#log.read(this.#position, this.#settings.batchSize);
    const [first] = events;
    if (first === undefined) {
      this.#persist(true);
      return this.#pause(this.#settings.pollIntervalMs, true);
    }
    const delivery = await this.#deliver(events);
    if (delivery.kind === 'acknowledged' && events.length < this.#settings.batchSize) return this.#linger();
    if (delivery.kind !== 'failed') return;
    if (events.length === 1) return this.#deadLetter(first, delivery.error);
    for (const event of events) {
      const single = await this.#deliver([event]);
      if (single.kind === 'stopped') return;
      if (single.kind === 'failed') return this.#deadLetter(event, single.error);
    }
  }

  async #deliver(events: readonly StoredEvent[]): Promise<Delivery> {
    const last = events.at(-1);
    if (last === undefined) return { kind: 'acknowledged' };
    for (let attempt = 1; ; attempt += 1) {
      if (attempt > 1) await this.#pause(this.#retryDelay(attempt), false);
      if (this.#stopped) return { kind: 'stopped' };
      try {
        await this.#settings.handler(events, this.#context);
      } catch (error) {
        if (retriesAgain(error, attempt, this.#settings.maxAttempts)) continue;
        return { kind: 'failed', error };
      }
      this.#advanceTo(last.position);
      this.#persist(false);
      return { kind: 'acknowledged' };
    }
  }

  #deadLetter(event: StoredEvent, error: unknown): void {
    this.#log.deadLetter(this.#settings.group, event, failureReason(error));
    this.#saved = event.position;
    this.#savedAt = performance.now();
    this.#advanceTo(event.position);
  }

  /** Writes the checkpoint when it moved: at once when `now`, otherwise at most every CHECKPOINT_EVERY_MS. */
  #persist(now: boolean): void {
    if (this.#position === this.#saved) return;
    const at = performance.now();
    if (!now && at - this.#savedAt < CHECKPOINT_EVERY_MS) return;
    this.#log.saveCheckpoint(this.#settings.group, this.#position);
    this.#saved = this.#position;
    this.#savedAt = at;
  }

  #advanceTo(position: number): void {
    this.#position = position;
    const waiting = this.#waiters;
    this.#waiters = waiting.filter((waiter) => waiter.target > position);
    for (const waiter of waiting) if (waiter.target <= position) waiter.resolve();
  }

  /** Caught up: lets the next events gather for `lingerMs`, unless someone waits for this group. */
  async #linger(): Promise<void> {
    if (this.#settings.lingerMs === 0 || this.#waiters.length > 0) return;
    this.#lingering = true;
    try {
      await this.#pause(this.#settings.lingerMs, false);
    } finally {
      this.#lingering = false;
    }
  }

  #retryDelay(attempt: number): number {
    return retryDelay(this.#settings.retryDelayMs, attempt);
  }

  #pause(ms: number, wakeOnCommit: boolean): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const end = (): void => {
        clearTimeout(timer);
        this.#endPause = undefined;
        this.#wakeOnCommit = false;
        resolve();
      };
      const timer = setTimeout(end, ms);
      this.#endPause = end;
      this.#wakeOnCommit = wakeOnCommit;
    });
  }
}
