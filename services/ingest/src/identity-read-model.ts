import { setTimeout as sleep } from 'node:timers/promises';
import type { EventStore } from '@nexo/eventstore';
import type { ReadStore } from '@nexo/readstore';
import { NexoError } from '@nexo/fhir';
import { COLLECTIONS, IDENTITY_META_ID, IDENTITY_STREAM } from '@nexo/domain';

/** The longest the identity feed waits for the projector to apply what the registry stream holds. */
export const IDENTITY_READ_WAIT_MS = 2_000;

/**
 * The longest one identity command (identify, link, unlink, merge) may hold its request, every wait for the
 * read model and every retry after a version conflict included. Without it a command could wait
 * 2 s for the read model on each of its attempts: longer than the registry's client
 * or a proxy waits, so it would resend while the first is still running, and add the very conflicts
 * that made it slow. The read model follows by milliseconds and a conflict is decided again in
 * milliseconds: 5 s is room for one full wait and several retries, and past it the answer is the
 * busy 503 with `Retry-After`, on which the registry retries.
 */
export const IDENTITY_COMMAND_DEADLINE_MS = 5_000;

/** Time as the waits read it: monotonic milliseconds, and a pause. */
export interface IdentityTimer {
  now(): number;
  pause(ms: number): Promise<void>;
}

const REAL_TIME: IdentityTimer = { now: () => performance.now(), pause: (ms) => sleep(ms) };

export interface IdentityReadDeps {
  readonly store: EventStore;
  readonly readStore: ReadStore;
  /** How long to wait for the read model before answering 503 (default IDENTITY_READ_WAIT_MS). */
  readonly identityReadWaitMs?: number;
  /** The whole command's deadline (default IDENTITY_COMMAND_DEADLINE_MS). */
  readonly identityCommandDeadlineMs?: number;
  /** Real time by default; tests pass a virtual one, so that a deadline passes when they say. */
  readonly timer?: IdentityTimer;
}

export const identityTimer = (deps: IdentityReadDeps): IdentityTimer => deps.timer ?? REAL_TIME;

/**
 * Waits until the identity read model has applied every identity event committed before the call,
 * then returns the registry version it has applied (at least that one). The read model follows an
 * identity change by a few milliseconds (the projector may run on another thread, or in another
 * process behind the relay and Kafka); a decision or a read taken before it caught up would act on
 * stale identity. The comparison needs no projector in this process: the stream's version comes
 * from the event store (one index lookup), the applied one from the read model, so it holds in
 * every deployment. Past the wait, 503: the read model is behind (a rebuild, a stopped projector).
 * The wait ends at `deadline` (the command's, on the timer's clock) if that comes first: a command
 * waits with the time it has left, not a fresh IDENTITY_READ_WAIT_MS on each attempt.
 */
export const identityReadModelVersion = async (
  deps: IdentityReadDeps,
  deadline = Number.POSITIVE_INFINITY,
): Promise<number> => {
  const timer = identityTimer(deps);
  const committed = await deps.store.streamVersion(IDENTITY_STREAM);
  const waitEnd = Math.min(timer.now() + (deps.identityReadWaitMs ?? IDENTITY_READ_WAIT_MS), deadline);
  for (let pause = 2; ; pause = Math.min(pause * 2, 50)) {
    const meta = await deps.readStore.get<{ version: number }>(COLLECTIONS.identityMeta, IDENTITY_META_ID);
    const applied = meta?.body.version ?? 0;
    if (applied >= committed) return applied;
    const left = waitEnd - timer.now();
    if (left <= 0) throw registryBusy();
    // The last pause ends at the wait's end, for one more look then.
    await timer.pause(Math.min(pause, left));
  }
};

/** The registry cannot decide now (its view is behind, or too many concurrent changes): retry. */
export const registryBusy = (): NexoError =>
  new NexoError('NEXO_ERR_UNAVAILABLE', 'the identity registry is busy; retry the same request.', {
    retryAfterSeconds: 1,
  });
