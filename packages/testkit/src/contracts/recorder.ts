/** Test doubles for bus consumers: a recording handler, a gate, and polling until a condition holds. */
import type { EventBatchContext, EventHandler, StoredEvent } from '@nexo/eventstore';

export interface Recorder {
  readonly handler: EventHandler;
  /** Every batch handed to the handler, including the ones it failed. */
  readonly calls: (readonly StoredEvent[])[];
  readonly contexts: EventBatchContext[];
  /** Events of the batches the handler acknowledged (resolved), in delivery order. */
  readonly acknowledged: StoredEvent[];
  acknowledgedIds(): string[];
}

/**
 * A handler that records what it is given. `behaviour` runs for each batch before it counts as
 * acknowledged; throwing (or rejecting) from it fails the batch.
 */
export const recorder = (
  behaviour: (batch: readonly StoredEvent[], call: number) => void | Promise<void> = () => undefined,
): Recorder => {
  const calls: (readonly StoredEvent[])[] = [];
  const contexts: EventBatchContext[] = [];
  const acknowledged: StoredEvent[] = [];
  return {
    calls,
    contexts,
    acknowledged,
    acknowledgedIds: () => acknowledged.map((event) => event.id),
    handler: async (batch, context) => {
      calls.push([...batch]);
      contexts.push(context);
      await behaviour(batch, calls.length - 1);
      acknowledged.push(...batch);
    },
  };
};

/** Event ids grouped by citizen key, each group in the order given: what per-key ordering compares. */
export const idsByCitizen = (events: readonly StoredEvent[]): Map<string, string[]> => {
  const groups = new Map<string, string[]>();
  for (const event of events)
    groups.set(event.citizenKey, [...(groups.get(event.citizenKey) ?? []), event.id]);
  return groups;
};

/** Event ids in a canonical order, to compare deliveries whose order across keys is free. */
export const sortedIds = (events: readonly StoredEvent[]): string[] => events.map((event) => event.id).sort();

export interface Gate {
  readonly opened: Promise<void>;
  open(): void;
}

export const gate = (): Gate => {
  let open = (): void => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
};

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` until it holds; fails with `what` after `timeoutMs`. */
export const waitFor = async (what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
};

/** Settles `promise` into a flag, so a test can assert it has NOT resolved yet. */
export const track = (promise: Promise<unknown>): { settled: () => boolean } => {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  return { settled: () => settled };
};
