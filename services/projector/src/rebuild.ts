import { isTransientFailure, type EventStore, type StoredEvent } from '@nexo/eventstore';
import { soleWriterCache, type DocumentWrite, type ReadStore, type SoleWriterCache } from '@nexo/readstore';
import { PROJECTOR_GROUP, READ_MODEL_INDEXES } from '@nexo/domain';
import { planBatch, projectBatch } from './project-batch.ts';

export interface RebuildProgress {
  readonly position: number;
  readonly head: number;
  readonly events: number;
}

export interface RebuildResult extends RebuildProgress {
  /** Dead-lettered events (`deadLetters`) whose projection still failed: left out, still dead letters. */
  readonly stillFailing: readonly number[];
}

/**
 * A rebuild marks the read models as being rebuilt once it has cleared them, and as done once it
 * has written everything. A projector that starts on read models still marked (the rebuild was
 * killed) finishes the rebuild first: the consumer group's own checkpoint is in the log and already
 * past the events the interrupted rebuild never wrote, so resuming from it would leave them out for good.
 */
const REBUILD_MARK = 'read-model-rebuild';
const REBUILDING = 'running';
const REBUILT = 'done';

/** Events read and projected at a time; small enough that they die young (cheap garbage collection). */
const REBUILD_BATCH = 500;
/**
 * Documents the rebuild keeps in memory: a citizen's records are read back and rewritten at each of
 * their events, and are then served from memory.
 */
const REBUILD_CACHE = 100_000;
/**
 * Changed documents the rebuild holds before it writes them in one commit (each written once per
 * flush however many events changed it). The commit is not waited for: with a read store that
 * commits on another thread, the next events are projected meanwhile, and only the last flush is
 * waited for alone. On an 84,711-event log (2 cores) 20,000 makes eight flushes, the writer
 * thread finishing each before the next is due; 10,000 to 40,000 measured alike within noise,
 * while 100,000 (the cache's size, as before) left a single flush to overlap.
 */
const REBUILD_FLUSH = 20_000;

/**
 * Rebuilds the read models from the whole log into `cleared` (cleared first). The result equals
 * the live projection: the same batch function builds both.
 *
 * `deadLetters` are the positions of the events the projector group gave up on. Each is projected
 * on its own; one whose projection still fails is left out, as the live group left it out, and is
 * named in `stillFailing` (it stays a dead letter). Any other failure stops the rebuild, as it
 * always has: an event the live group applied is never left out, and a failure to write the read
 * models, or a store that cannot answer now, is no event's fault.
 *
 * The rebuild is the target's only writer, so it projects through a sole-writer cache that holds
 * commits and flushes them in large ones (each with the checkpoint of its last batch), going on
 * with the next events while a flush is committed. A crash loses what was held and what was
 * being committed: the target is then behind but consistent, and is rebuilt again. Durability
 * pragmas stay as they are: with few, large commits relaxing them measured within noise, and
 * `synchronous=OFF` could leave a corrupt file after a power loss, which a rebuild could not even
 * clear.
 */
export const rebuildReadModels = async (
  store: EventStore,
  cleared: ReadStore,
  options: {
    readonly batchSize?: number;
    readonly cacheCapacity?: number;
    readonly onProgress?: (p: RebuildProgress) => void;
    readonly deadLetters?: ReadonlySet<number>;
  } = {},
): Promise<RebuildResult> => {
  const batchSize = options.batchSize ?? REBUILD_BATCH;
  const capacity = options.cacheCapacity ?? REBUILD_CACHE;
  const target = soleWriterCache(cleared, {
    capacity,
    deferUpTo: Math.min(capacity, REBUILD_FLUSH),
  });
  // The clear removes every checkpoint, so the mark follows it: a crash in between leaves no
  // projector checkpoint at all, which needsRebuild takes as unfinished too.
  await target.clear();
  await cleared.commit([], { consumer: REBUILD_MARK, position: REBUILDING });
  await target.ensureIndexes(READ_MODEL_INDEXES);
  const head = await store.headPosition();
  const deadLetters = options.deadLetters ?? new Set<number>();
  const stillFailing: number[] = [];
  let position = 0;
  let count = 0;
  for (;;) {
    const events = await store.readAll(position, batchSize);
    if (events.length === 0) break;
    for (const run of apart(events, deadLetters)) {
      const [alone] = run;
      if (run.length === 1 && alone && deadLetters.has(alone.position)) {
        if (!(await projectDeadLetter(target, alone))) stillFailing.push(alone.position);
      } else {
        await projectBatch(target, run, PROJECTOR_GROUP);
      }
    }
    position = events.at(-1)?.position ?? position;
    count += events.length;
    options.onProgress?.({ position, head, events: count });
  }
  await target.flush();
  await cleared.commit([], { consumer: REBUILD_MARK, position: REBUILT });
  return { position, head, events: count, stillFailing };
};

/** The events in order, each dead-lettered one in a run of its own, the others in runs between them. */
const apart = (events: readonly StoredEvent[], deadLetters: ReadonlySet<number>): StoredEvent[][] => {
  if (deadLetters.size === 0) return [[...events]];
  const runs: StoredEvent[][] = [];
  let run: StoredEvent[] = [];
  for (const event of events) {
    if (!deadLetters.has(event.position)) {
      run.push(event);
      continue;
    }
    if (run.length > 0) runs.push(run);
    runs.push([event]);
    run = [];
  }
  if (run.length > 0) runs.push(run);
  return runs;
};

/**
 * Projects a dead-lettered event alone; false when its projection still fails. Only planning may
 * fail here (it reads the read models and writes nothing): the commit is outside, so a failure to
 * write stops the rebuild, as does a store that cannot answer now. The checkpoint moves past the
 * event either way, as the live group's did.
 */
const projectDeadLetter = async (target: SoleWriterCache, event: StoredEvent): Promise<boolean> => {
  // Planned with no flush in flight: a flush's failure is thrown by the next call into the cache,
  // and must stop the rebuild here rather than pass for this event's own failure.
  await target.flush();
  let writes: DocumentWrite[] | undefined;
  try {
    writes = await planBatch(target, [event]);
  } catch (error) {
    if (isTransientFailure(error)) throw error;
  }
  await target.commit(writes ?? [], { consumer: PROJECTOR_GROUP, position: String(event.position) });
  return writes !== undefined;
};

/**
 * Whether the read models miss events the log holds for good unless they are rebuilt: a rebuild
 * was interrupted, or the log has events and the projector never checkpointed in the read models
 * (they were cleared, or lost).
 */
export const needsRebuild = async (store: EventStore, readModels: ReadStore): Promise<boolean> => {
  if ((await readModels.getCheckpoint(REBUILD_MARK)) === REBUILDING) return true;
  if ((await readModels.getCheckpoint(PROJECTOR_GROUP)) !== undefined) return false;
  return (await store.headPosition()) > 0;
};
