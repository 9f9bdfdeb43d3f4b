import type { EventBus, Subscription } from '@nexo/eventstore';
import type { ReadStore } from '@nexo/readstore';
import { PROJECTOR_GROUP, READ_MODEL_INDEXES } from '@nexo/domain';
import { projectBatch } from './project-batch.ts';

/** Starts the projector's consumer group: read models follow the log at-least-once. */
export const startProjector = async (deps: {
  readonly bus: EventBus;
  readonly readStore: ReadStore;
}): Promise<Subscription> => {
  await deps.readStore.ensureIndexes(READ_MODEL_INDEXES);
  return deps.bus.subscribe(
    PROJECTOR_GROUP,
    (events) => projectBatch(deps.readStore, events, PROJECTOR_GROUP),
    { batchSize: 500 },
  );
};
