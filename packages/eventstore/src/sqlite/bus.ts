/** The embedded event bus: consumer groups reading the store's own ordered log. */
import type { EventBus, EventHandler, SubscribeOptions, Subscription } from '../port.ts';
import type { CommitSignal } from './commit-signal.ts';
import type { ConsumerLog } from './consumer-log.ts';
import { LogSubscription } from './subscription.ts';
import { deliverySettings } from '../delivery.ts';

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
    const subscription = new LogSubscription(log, {
      group,
      handler,
      ...deliverySettings(options),
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
