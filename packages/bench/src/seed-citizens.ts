/**
 * Loads citizen read models directly through the ReadStore port (not through ingest): for each
 * synthetic citizen, 1 to 4 vaccinations decided as ingest would, applied with the domain's own
 * `applyToCitizenRecords` and committed in large batches. Only the `citizen-records` collection
 * is written: it is the one document a card read looks up.
 */
import { join } from 'node:path';
import {
  COLLECTIONS,
  READ_MODEL_INDEXES,
  applyToCitizenRecords,
  emptyCitizenRecords,
  type AnyDomainEvent,
  type CitizenRecords,
} from '@nexo/domain';
import { seededRandom } from '@nexo/identifiers';
import { openSqliteReadStore, type DocumentWrite } from '@nexo/readstore';
import { syntheticCitizen } from '@nexo/testkit/synthetic';
import { acceptedTemplates, submittedEvent, templatePicker } from './accepted-documents.ts';
import { progress } from './progress.ts';

const BATCH = 2_000;
const MAX_RECORDS = 4;

export interface SeededCitizens {
  /** Development tokens of the seeded citizens, for the card reads. */
  readonly tokens: string[];
  readonly records: number;
  readonly seconds: number;
}

export const seedCitizens = async (dataDir: string, count: number, seed: number): Promise<SeededCitizens> => {
  const started = performance.now();
  const random = seededRandom(seed);
  const pick = templatePicker(acceptedTemplates(256, seed), seed + 1);
  const readStore = openSqliteReadStore({ file: join(dataDir, 'read-models.sqlite') });
  await readStore.ensureIndexes(READ_MODEL_INDEXES);
  const bar = progress(`seeding ${count} citizens (ReadStore port)`);
  const tokens: string[] = [];
  const seen = new Set<string>();
  let records = 0;
  let position = 0;
  const recordedAt = new Date().toISOString();
  try {
    while (tokens.length < count) {
      const writes: DocumentWrite[] = [];
      while (writes.length < BATCH && tokens.length < count) {
        const citizen = syntheticCitizen(random);
        if (seen.has(citizen.key)) continue;
        seen.add(citizen.key);
        tokens.push(citizen.token);
        let view: CitizenRecords = emptyCitizenRecords(citizen.key);
        const cards = 1 + Math.floor(random() * MAX_RECORDS);
        for (let n = 0; n < cards; n += 1) {
          position += 1;
          const { stream, event } = submittedEvent(
            pick(),
            { key: citizen.key, kind: citizen.identifiedBy, number: citizen.number },
            `SEED-${seed}-${position}`,
          );
          const stored = { ...event, stream, version: 1, position, recordedAt } as unknown as AnyDomainEvent;
          view = applyToCitizenRecords(view, stored);
        }
        records += cards;
        writes.push({
          kind: 'put',
          collection: COLLECTIONS.citizenRecords,
          id: citizen.key,
          expectedRevision: 0,
          body: view,
        });
      }
      await readStore.commit(writes);
      bar.update(`${tokens.length}/${count} citizens, ${records} records`);
    }
  } finally {
    await readStore.close();
  }
  const seconds = (performance.now() - started) / 1000;
  bar.done(`${count} citizens, ${records} records in ${seconds.toFixed(1)} s`);
  return { tokens, records, seconds };
};
