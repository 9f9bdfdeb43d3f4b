import { setTimeout as sleep } from 'node:timers/promises';
import type { EventStore } from '@nexo/eventstore';
import type { ReadStore } from '@nexo/readstore';
import { NexoError } from '@nexo/fhir';
import { COLLECTIONS, IDENTITY_META_ID, IDENTITY_STREAM } from '@nexo/domain';

/** The longest the identity feed waits for the projector to apply what the registry stream holds. */
export const IDENTITY_READ_WAIT_MS = 2_000;

export interface IdentityReadDeps {
  readonly store: EventStore;
  readonly readStore: ReadStore;
  /** How long to wait for the read model before answering 503 (default IDENTITY_READ_WAIT_MS). */
  readonly identityReadWaitMs?: number;
}

/**
 * Waits until the identity read model has applied every identity event committed before the call,
 * then returns the registry version it has applied (at least that one). The read model follows an
 * identity change by a few milliseconds (the projector may run on another thread, or in another
 * process behind the relay and Kafka); a decision or a read taken before it caught up would act on
 * stale identity. The comparison needs no projector in this process: the stream's version comes
 * from the event store (one index lookup), the applied one from the read model, so it holds in
 * every deployment. Past the wait, 503: the read model is behind (a rebuild, a stopped projector).
 */
export const identityReadModelVersion = async (deps: IdentityReadDeps): Promise<number> => {
  const committed = await deps.store.streamVersion(IDENTITY_STREAM);
  const deadline = Date.now() + (deps.identityReadWaitMs ?? IDENTITY_READ_WAIT_MS);
  for (let pause = 2; ; pause = Math.min(pause * 2, 50)) {
    const meta = await deps.readStore.get<{ version: number }>(COLLECTIONS.identityMeta, IDENTITY_META_ID);
    const applied = meta?.body.version ?? 0;
    if (applied >= committed) return applied;
    if (Date.now() + pause > deadline) throw registryBusy();
    await sleep(pause);
  }
};

/** The registry cannot decide now (its view is behind, or too many concurrent changes): retry. */
export const registryBusy = (): NexoError =>
  new NexoError('NEXO_ERR_UNAVAILABLE', 'the identity registry is busy; retry the same request.');
