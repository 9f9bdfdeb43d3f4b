/**
 * Projection lag: for every event appended during a run, the time from its commit (`recordedAt`,
 * taken just before the group commit that precedes its 201) to the first moment the projector's
 * checkpoint in the read store covers it, i.e. the record is visible to the citizen API. The bench
 * samples the checkpoint every 2 ms from its own process, through the ReadStore port, on the hub's
 * files (WAL lets a second process read beside the writer).
 */
import { join } from 'node:path';
import { PROJECTOR_GROUP } from '@nexo/domain';
import { openSqliteEventStore } from '@nexo/eventstore';
import { openSqliteReadStore, type ReadStore } from '@nexo/readstore';
import { Samples } from './stats.ts';

const SAMPLE_EVERY_MS = 2;
const READ_BATCH = 2_000;

interface Sample {
  readonly atMs: number;
  readonly position: number;
}

export interface ProjectionWatch {
  /** Current checkpoint position (0 before the first batch). */
  position(): Promise<number>;
  /** Resolves once the checkpoint reaches `position`, or rejects after `timeoutMs`. */
  reach(position: number, timeoutMs: number): Promise<void>;
  /** Stops sampling; returns the lag of every event in (afterPosition, upToPosition], in ms. */
  stop(afterPosition: number, upToPosition: number): Promise<Float64Array>;
}

const checkpointOf = async (readStore: ReadStore): Promise<number> =>
  Number((await readStore.getCheckpoint(PROJECTOR_GROUP)) ?? 0);

export const watchProjection = async (dataDir: string): Promise<ProjectionWatch> => {
  const readStore = openSqliteReadStore({ file: join(dataDir, 'read-models.sqlite') });
  const samples: Sample[] = [{ atMs: Date.now(), position: await checkpointOf(readStore) }];
  const timer = setInterval(() => {
    void checkpointOf(readStore).then((position) => {
      if (position !== samples.at(-1)?.position) samples.push({ atMs: Date.now(), position });
    });
  }, SAMPLE_EVERY_MS);
  const current = (): number => samples.at(-1)?.position ?? 0;
  return {
    position: async () => current(),
    reach: async (position, timeoutMs) => {
      const deadline = performance.now() + timeoutMs;
      while (current() < position) {
        if (performance.now() > deadline)
          throw new Error(`the projector did not reach position ${position} in ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    stop: async (afterPosition, upToPosition) => {
      clearInterval(timer);
      await readStore.close();
      return lagsOf(dataDir, samples, afterPosition, upToPosition);
    },
  };
};

const lagsOf = async (
  dataDir: string,
  samples: readonly Sample[],
  afterPosition: number,
  upToPosition: number,
): Promise<Float64Array> => {
  const engine = openSqliteEventStore({ file: join(dataDir, 'events.sqlite') });
  const lags = new Samples();
  let sample = 0;
  let position = afterPosition;
  try {
    while (position < upToPosition) {
      const events = await engine.store.readAll(position, READ_BATCH);
      if (events.length === 0) break;
      for (const event of events) {
        if (event.position > upToPosition) break;
        while (sample < samples.length && (samples[sample]?.position ?? 0) < event.position) sample += 1;
        const visible = samples[sample];
        if (visible !== undefined) lags.push(Math.max(0, visible.atMs - Date.parse(event.recordedAt)));
      }
      position = events.at(-1)?.position ?? upToPosition;
    }
  } finally {
    await engine.close();
  }
  return lags.values();
};

/** The event log's head, read through the EventStore port from the bench's process. */
export const headPosition = async (dataDir: string): Promise<number> => {
  const engine = openSqliteEventStore({ file: join(dataDir, 'events.sqlite') });
  try {
    return await engine.store.headPosition();
  } finally {
    await engine.close();
  }
};
