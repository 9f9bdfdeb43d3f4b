/**
 * Loads citizen read models directly through the ReadStore port (not through ingest): for each
 * synthetic citizen, 1 to 4 vaccinations decided as ingest would, applied with the domain's own
 * `applyToCitizenRecords` and committed in large batches, filed under the CNS or the CPF the
 * documents named. Each citizen is also a person of the national registry (as the identity feed
 * projects it: the person and a link from each identifier), because a citizen signs in with the
 * CPF: the card read resolves the CPF to the person and reads the records under both numbers.
 */
import { join } from 'node:path';
import {
  COLLECTIONS,
  READ_MODEL_INDEXES,
  applyToCitizenRecords,
  emptyCitizenRecords,
  type AnyDomainEvent,
  type CitizenRecords,
  type IdentifierLink,
  type Person,
} from '@nexo/domain';
import { citizenKey, seededRandom, type CitizenId } from '@nexo/identifiers';
import { openSqliteReadStore, type DocumentWrite } from '@nexo/readstore';
import { syntheticCitizen } from '@nexo/testkit/synthetic';
import { acceptedTemplates, submittedEvent, templatePicker } from './accepted-documents.ts';
import { progress } from './progress.ts';

/** Documents per commit: about 2,000 citizens (their records, person and two links). */
const BATCH = 8_000;
const MAX_RECORDS = 4;

export interface SeededCitizens {
  /** The CPF of each seeded citizen: what they sign in with (their token's subject). */
  readonly cpfs: string[];
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
  const cpfs: string[] = [];
  const seen = new Set<string>();
  let records = 0;
  let position = 0;
  const recordedAt = new Date().toISOString();
  try {
    while (cpfs.length < count) {
      const writes: DocumentWrite[] = [];
      while (writes.length < BATCH && cpfs.length < count) {
        const citizen = syntheticCitizen(random);
        if (seen.has(citizen.cns) || seen.has(citizen.cpf)) continue;
        seen.add(citizen.cns);
        seen.add(citizen.cpf);
        cpfs.push(citizen.cpf);
        writes.push(...registryEntries(`bench-person-${cpfs.length}`, citizen));
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
      bar.update(`${cpfs.length}/${count} citizens, ${records} records`);
    }
  } finally {
    await readStore.close();
  }
  const seconds = (performance.now() - started) / 1000;
  bar.done(`${count} citizens, ${records} records in ${seconds.toFixed(1)} s`);
  return { cpfs, records, seconds };
};

/** The person the identity feed would project for the citizen, and a link from each identifier. */
const registryEntries = (
  personId: string,
  citizen: { readonly cns: string; readonly cpf: string },
): DocumentWrite[] => {
  const identifiers: CitizenId[] = [
    { kind: 'CNS', number: citizen.cns },
    { kind: 'CPF', number: citizen.cpf },
  ];
  const person: Person = { personId, identifiers, demographics: {} };
  const links = identifiers.map((id): DocumentWrite => {
    const link: IdentifierLink = { citizenKey: citizenKey(id), personId };
    return {
      kind: 'put',
      collection: COLLECTIONS.identityLinks,
      id: link.citizenKey,
      expectedRevision: 0,
      body: link,
    };
  });
  return [
    { kind: 'put', collection: COLLECTIONS.persons, id: personId, expectedRevision: 0, body: person },
    ...links,
  ];
};
