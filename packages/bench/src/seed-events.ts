/**
 * Seeds the event log directly through the EventStore port, in large group commits: new-document
 * events as ingest appends them (payloads from validated synthetic documents, the Bundle itself
 * reduced to its envelope: see `submittedEvent`). The projector's
 * consumer group is then moved past them through the EventBus port (a handler that does nothing),
 * and its checkpoint in the read models set to the head, so that the hub started on this folder
 * measures ingest over a large log, not a projection backlog nor a rebuild.
 */
import { join } from 'node:path';
import { PROJECTOR_GROUP } from '@nexo/domain';
import { openSqliteEventStore } from '@nexo/eventstore';
import { openSqliteReadStore } from '@nexo/readstore';
import { seededRandom } from '@nexo/identifiers';
import { syntheticCitizens } from '@nexo/testkit/synthetic';
import { acceptedTemplates, submittedEvent, templatePicker } from './accepted-documents.ts';
import { progress } from './progress.ts';

/** Appends issued in one turn of the event loop; group commit makes them one transaction. */
const APPENDS_PER_COMMIT = 5_000;
const CITIZENS = 100_000;

export const seedEvents = async (
  dataDir: string,
  count: number,
  seed: number,
): Promise<{ readonly seconds: number }> => {
  const started = performance.now();
  const random = seededRandom(seed);
  const pick = templatePicker(acceptedTemplates(256, seed), seed + 1);
  const citizens = syntheticCitizens(Math.min(CITIZENS, count), random);
  const engine = openSqliteEventStore({ file: join(dataDir, 'events.sqlite') });
  const bar = progress(`seeding ${count} events (EventStore port)`);
  try {
    let appended = 0;
    while (appended < count) {
      const batch = Math.min(APPENDS_PER_COMMIT, count - appended);
      const appends = Array.from({ length: batch }, (_, i) => {
        const citizen = citizens[(appended + i) % citizens.length];
        if (citizen === undefined) throw new RangeError('no citizens');
        const { stream, event } = submittedEvent(
          pick(),
          { key: citizen.key, kind: citizen.identifiedBy, number: citizen.number },
          `SEED-${seed}-${appended + i}`,
          true,
        );
        return engine.store.append(stream, 0, [event]);
      });
      await Promise.all(appends);
      appended += batch;
      const rate = appended / ((performance.now() - started) / 1000);
      bar.update(
        `${appended}/${count} events, ${Math.round(rate)}/s, ~${Math.round((count - appended) / rate)} s left`,
      );
    }
    bar.done(`${appended} events in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const skip = progress('moving the projector past the seeded events (EventBus port)');
    let skipped = 0;
    const subscription = await engine.bus.subscribe(
      PROJECTOR_GROUP,
      async (events) => {
        skipped += events.length;
        skip.update(`${skipped}/${count}`);
      },
      { batchSize: 5_000 },
    );
    await subscription.caughtUp();
    await subscription.stop();
    // The read models say so too: without the projector's checkpoint there, over a log that has
    // events, the hub would take them for lost and rebuild them from the log at its start.
    const readModels = openSqliteReadStore({ file: join(dataDir, 'read-models.sqlite') });
    try {
      await readModels.commit([], {
        consumer: PROJECTOR_GROUP,
        position: String(await engine.store.headPosition()),
      });
    } finally {
      await readModels.close();
    }
    skip.done(`${skipped} events`);
  } finally {
    await engine.close();
  }
  return { seconds: (performance.now() - started) / 1000 };
};
