/**
 * What `pnpm replay` does: rebuilds the read models from the whole log, then resolves the
 * projector group's dead letters whose events the rebuild applied. Nothing is resolved before the
 * rebuild has finished (its last commit is made): an interrupted replay resolves nothing.
 */
import type { DeadLetter, EventStore } from '@nexo/eventstore';
import type { ReadStore } from '@nexo/readstore';
import { PROJECTOR_GROUP } from '@nexo/domain';
import { rebuildReadModels, type RebuildProgress, type RebuildResult } from './rebuild.ts';

/** The engines a replay needs (`Engines` of @nexo/runtime has them all). */
export interface ReplayEngines {
  readonly store: EventStore;
  readonly readStore: ReadStore;
  deadLetters(group: string): Promise<DeadLetter[]>;
  deadLetterCount(group: string): Promise<number>;
  resolveDeadLetters(group: string, positions: readonly number[]): Promise<number>;
}

export interface ReplayResult extends RebuildResult {
  /** The group's dead letters the replay resolved: their events are in the read models now. */
  readonly resolved: number;
  /** The group's dead letters left: their events still fail (`stillFailing`), or came after the rebuild. */
  readonly remaining: number;
}

export const replayReadModels = async (
  engines: ReplayEngines,
  options: {
    readonly batchSize?: number;
    readonly cacheCapacity?: number;
    readonly onProgress?: (p: RebuildProgress) => void;
  } = {},
): Promise<ReplayResult> => {
  const letters = await engines.deadLetters(PROJECTOR_GROUP);
  const deadLetters = new Set(letters.map((letter) => letter.event.position));
  const rebuilt = await rebuildReadModels(engines.store, engines.readStore, { ...options, deadLetters });
  const failing = new Set(rebuilt.stillFailing);
  const applied = [...deadLetters].filter(
    (position) => position <= rebuilt.position && !failing.has(position),
  );
  const resolved = await engines.resolveDeadLetters(PROJECTOR_GROUP, applied);
  return { ...rebuilt, resolved, remaining: await engines.deadLetterCount(PROJECTOR_GROUP) };
};
