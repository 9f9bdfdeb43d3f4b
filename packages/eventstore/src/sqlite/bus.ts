/** The embedded event bus: consumer groups reading the store's own ordered log. */
import type { EventBus, EventHandler, SubscribeOptions, Subscription } from '../port.ts';
import type { CommitSignal } from './commit-signal.ts';
import type { ConsumerLog } from './consumer-log.ts';
import { LogSubscription } from './subscription.ts';

export const BUS_DEFAULTS = {
  batchSize: 256,
  maxAttempts: 5,
  retryDelayMs: 100,
  pollIntervalMs: 200,
} as const;

const positiveInteger = (name: string, value: number): number => {
  if (!Number.isSafeInteger(value) || value < 1)
    throw new RangeError(`${name} must be an integer ≥ 1, got ${value}`);
  return value;
};

export const createLogBus = (log: ConsumerLog, signal: CommitSignal, pollIntervalMs: number): EventBus => {
  const active = new Map<string, Subscription>();
  let closed = false;

  const subscribe = async (
    group: string,
    handler: EventHandler,
    options: SubscribeOptions = {},
  ): Promise<Subscription> => {
    if (closed) throw new Error('the event bus is closed');
    if (group.length === 0) throw new RangeError('a consumer group needs a name');
    if (active.has(group))
      throw new Error(`consumer group ${group} already has a subscriber in this process`);
    const retryDelayMs = options.retryDelayMs ?? BUS_DEFAULTS.retryDelayMs;
    if (!(retryDelayMs >= 0)) throw new RangeError(`retryDelayMs must be ≥ 0, got ${retryDelayMs}`);
    const subscription = new LogSubscription(log, {
      group,
      handler,
      batchSize: positiveInteger('batchSize', options.batchSize ?? BUS_DEFAULTS.batchSize),
      maxAttempts: positiveInteger('maxAttempts', options.maxAttempts ?? BUS_DEFAULTS.maxAttempts),
      retryDelayMs,
      pollIntervalMs,
    });
    const unlisten = signal.listen(() => subscription.nudge());
    let stopping: Promise<void> | undefined;
    const handle: Subscription = {
      caughtUp: () => subscription.caughtUp(),
      stop: () =>
        (stopping ??= subscription.stop().finally(() => {
          unlisten();
          active.delete(group);
        })),
    };
    active.set(group, handle);
    subscription.start();
    return handle;
  };

  return {
    subscribe,
    close: async () => {
      closed = true;
      await Promise.all([...active.values()].map((subscription) => subscription.stop()));
    },
  };
};
