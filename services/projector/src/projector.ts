import type { EventBus, EventStore, Subscription } from '@nexo/eventstore';
import type { ReadStore } from '@nexo/readstore';
import { PROJECTOR_GROUP, READ_MODEL_INDEXES } from '@nexo/domain';
import { projectBatch } from './project-batch.ts';
import { needsRebuild, rebuildReadModels } from './rebuild.ts';

/**
 * Starts the projector's consumer group: read models follow the log at-least-once. Read models
 * that miss events for good (an interrupted `pnpm replay`; see needsRebuild) are rebuilt from the
 * log first; the group then delivers again what the rebuild already applied, which changes nothing.
 */
export const startProjector = async (deps: {
  readonly bus: EventBus;
  readonly store: EventStore;
  readonly readStore: ReadStore;
  /** Told when the read models are rebuilt before the group starts. */
  readonly onRebuild?: () => void;
}): Promise<Subscription> => {
  if (await needsRebuild(deps.store, deps.readStore)) {
    deps.onRebuild?.();
    await rebuildReadModels(deps.store, deps.readStore);
  }
  await deps.readStore.ensureIndexes(READ_MODEL_INDEXES);
  return deps.bus.subscribe(
    PROJECTOR_GROUP,
    (events) => projectBatch(deps.readStore, events, PROJECTOR_GROUP),
    { batchSize: 500 },
  );
};
