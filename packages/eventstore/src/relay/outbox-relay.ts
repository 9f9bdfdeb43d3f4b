/**
 * The outbox relay: drains the outbox in position order and hands each batch to a publisher, then
 * marks the batch published — only after the publisher acknowledged it. A crash (or a failed mark)
 * between the two leaves the batch in the outbox, so it is published again: delivery is
 * at-least-once and consumers dedupe (the projector is idempotent per stream version).
 */
import { positiveInteger } from '../delivery.ts';
import type { EventPublisher, Outbox, StoredEvent } from '../port.ts';

export const RELAY_DEFAULTS = {
  batchSize: 500,
  pollIntervalMs: 100,
  retryDelayMs: 100,
  maxRetryDelayMs: 10_000,
} as const;

export interface OutboxRelayOptions {
  /** Largest batch read from the outbox and published at once. */
  readonly batchSize?: number;
  /** How long an empty outbox waits before looking again (appends in this process nudge it). */
  readonly pollIntervalMs?: number;
  /** Delay after a failed cycle; it doubles on each further failure, up to `maxRetryDelayMs`. */
  readonly retryDelayMs?: number;
  readonly maxRetryDelayMs?: number;
  /** Told about every failed cycle (publish or mark); the relay retries on its own. */
  readonly onError?: (error: unknown, stage: RelayStage) => void;
  /** Told about every batch published and marked. */
  readonly onPublished?: (events: readonly StoredEvent[]) => void;
}

export type RelayStage = 'read' | 'publish' | 'mark';

export interface RelayStatus {
  readonly running: boolean;
  /** Events published and marked since start. */
  readonly published: number;
  /** Failed cycles in a row (0 after a good cycle). */
  readonly consecutiveFailures: number;
  readonly lastError?: string;
  /** ISO instant of the last cycle that read, published and marked without error. */
  readonly lastSuccessAt?: string;
}

interface DrainWaiter {
  readonly upTo: number;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export class OutboxRelay {
  readonly #outbox: Outbox;
  readonly #publisher: EventPublisher;
  readonly #options: Required<Omit<OutboxRelayOptions, 'onError' | 'onPublished'>>;
  readonly #onError: OutboxRelayOptions['onError'];
  readonly #onPublished: OutboxRelayOptions['onPublished'];
  #running: Promise<void> | undefined;
  #stopped = false;
  #endPause: (() => void) | undefined;
  /** A nudge that came while no pause was in progress: the next pause is skipped. */
  #nudged = false;
  #wakeOnNudge = false;
  #waiters: DrainWaiter[] = [];
  #published = 0;
  #failures = 0;
  #lastError: string | undefined;
  #lastSuccessAt: string | undefined;

  constructor(outbox: Outbox, publisher: EventPublisher, options: OutboxRelayOptions = {}) {
    this.#outbox = outbox;
    this.#publisher = publisher;
    this.#onError = options.onError;
    this.#onPublished = options.onPublished;
    const retryDelayMs = options.retryDelayMs ?? RELAY_DEFAULTS.retryDelayMs;
    if (!(retryDelayMs >= 0)) throw new RangeError(`retryDelayMs must be ≥ 0, got ${retryDelayMs}`);
    this.#options = {
      batchSize: positiveInteger('batchSize', options.batchSize ?? RELAY_DEFAULTS.batchSize),
      pollIntervalMs: positiveInteger(
        'pollIntervalMs',
        options.pollIntervalMs ?? RELAY_DEFAULTS.pollIntervalMs,
      ),
      retryDelayMs,
      maxRetryDelayMs: options.maxRetryDelayMs ?? RELAY_DEFAULTS.maxRetryDelayMs,
    };
  }

  start(): void {
    if (this.#stopped) throw new Error('the relay was stopped; create another one');
    this.#running ??= this.#run();
  }

  /** Events were appended in this process: an idle relay looks at once. */
  nudge(): void {
    if (this.#wakeOnNudge) this.#endPause?.();
    else this.#nudged = true;
  }

  /**
   * Resolves once no event with a position ≤ `upTo` waits in the outbox (each was published and
   * marked). Pass the store's head position to wait for everything appended before the call.
   */
  async drained(upTo: number): Promise<void> {
    if (await this.#isDrained(upTo)) return;
    if (this.#stopped || this.#running === undefined) throw new Error('the relay is not running');
    await new Promise<void>((resolve, reject) => this.#waiters.push({ upTo, resolve, reject }));
  }

  status(): RelayStatus {
    return {
      running: this.#running !== undefined && !this.#stopped,
      published: this.#published,
      consecutiveFailures: this.#failures,
      ...(this.#lastError === undefined ? {} : { lastError: this.#lastError }),
      ...(this.#lastSuccessAt === undefined ? {} : { lastSuccessAt: this.#lastSuccessAt }),
    };
  }

  /** Stops after the cycle in flight: a batch being published is still marked when acknowledged. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#endPause?.();
    await this.#running;
    const stopped = new Error('the relay stopped before the outbox was drained');
    for (const waiter of this.#waiters.splice(0)) waiter.reject(stopped);
  }

  async #isDrained(upTo: number): Promise<boolean> {
    const [oldest] = await this.#outbox.pending(1);
    return oldest === undefined || oldest.position > upTo;
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      let stage: RelayStage = 'read';
      try {
        const events = await this.#outbox.pending(this.#options.batchSize);
        if (events.length > 0) {
          stage = 'publish';
          await this.#publisher.publish(events);
          stage = 'mark';
          await this.#outbox.markPublished(events.map((event) => event.id));
          this.#published += events.length;
          this.#onPublished?.(events);
        }
        this.#succeeded();
        await this.#settleWaiters();
        if (events.length < this.#options.batchSize) await this.#pause(this.#options.pollIntervalMs, true);
      } catch (error) {
        this.#failures += 1;
        this.#lastError = `${stage}: ${describe(error)}`;
        this.#onError?.(error, stage);
        await this.#pause(this.#retryDelay(), false);
      }
    }
  }

  #succeeded(): void {
    this.#failures = 0;
    this.#lastError = undefined;
    this.#lastSuccessAt = new Date().toISOString();
  }

  async #settleWaiters(): Promise<void> {
    if (this.#waiters.length === 0) return;
    const [oldest] = await this.#outbox.pending(1);
    const waiting = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiting) {
      if (oldest === undefined || oldest.position > waiter.upTo) waiter.resolve();
      else this.#waiters.push(waiter);
    }
  }

  #retryDelay(): number {
    return Math.min(this.#options.retryDelayMs * 2 ** (this.#failures - 1), this.#options.maxRetryDelayMs);
  }

  /** Waits `ms`; a stop ends the wait, and so does a nudge when `wakeOnNudge` (an idle wait). */
  #pause(ms: number, wakeOnNudge: boolean): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    if (wakeOnNudge && this.#nudged) {
      this.#nudged = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const end = (): void => {
        clearTimeout(timer);
        this.#endPause = undefined;
        this.#wakeOnNudge = false;
        resolve();
      };
      const timer = setTimeout(end, ms);
      this.#endPause = end;
      this.#wakeOnNudge = wakeOnNudge;
    });
  }
}
