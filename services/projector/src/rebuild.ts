import type { EventStore } from '@nexo/eventstore';
import type { ReadStore } from '@nexo/readstore';
import { PROJECTOR_GROUP, READ_MODEL_INDEXES } from '@nexo/domain';
import { projectBatch } from './project-batch.ts';

export interface RebuildProgress {
  readonly position: number;
  readonly head: number;
  readonly events: number;
}

/**
 * Rebuilds the read models from the whole log into `target` (cleared first). The result equals
 * the live projection: the same batch function builds both.
 */
export const rebuildReadModels = async (
  store: EventStore,
  target: ReadStore,
  options: { readonly batchSize?: number; readonly onProgress?: (p: RebuildProgress) => void } = {},
): Promise<RebuildProgress> => {
  const batchSize = options.batchSize ?? 1000;
  await target.clear();
  await target.ensureIndexes(READ_MODEL_INDEXES);
  const head = await store.headPosition();
  let position = 0;
  let count = 0;
  for (;;) {
    const events = await store.readAll(position, batchSize);
    if (events.length === 0) break;
    await projectBatch(target, events, PROJECTOR_GROUP);
    position = events.at(-1)?.position ?? position;
    count += events.length;
    options.onProgress?.({ position, head, events: count });
  }
  return { position, head, events: count };
};
