import type { ReadStore } from '@nexo/readstore';
import { citizenKey, type CitizenId } from '@nexo/identifiers';
import {
  COLLECTIONS,
  currentPerson,
  unionCitizenRecords,
  type CitizenRecords,
  type IdentifierLink,
  type Person,
} from '@nexo/domain';

/** The identity read model's persons, as `currentPerson` of @nexo/domain reads them. */
const personReader =
  (readStore: ReadStore) =>
  async (personId: string): Promise<Person | undefined> =>
    (await readStore.get<Person>(COLLECTIONS.persons, personId))?.body;

export interface ResolvedCitizen {
  /** Every identifier that names the person (just the token's one when the registry does not know it). */
  readonly identifiers: readonly CitizenId[];
  readonly person?: Person;
  readonly records: CitizenRecords;
}

/**
 * The person behind an authenticated identifier, and their records under every identifier
 * the national registry linked to them — two indexed reads and one multi-get.
 */
export const resolveCitizen = async (readStore: ReadStore, citizen: CitizenId): Promise<ResolvedCitizen> => {
  const key = citizenKey(citizen);
  const link = await readStore.get<IdentifierLink>(COLLECTIONS.identityLinks, key);
  const person = link ? await currentPerson(link.body.personId, personReader(readStore)) : undefined;
  const identifiers = person ? person.identifiers : [citizen];
  const keys = [...new Set([key, ...identifiers.map(citizenKey)])];
  const docs = await readStore.getMany<CitizenRecords>(COLLECTIONS.citizenRecords, keys);
  return {
    identifiers,
    ...(person ? { person } : {}),
    records: unionCitizenRecords(
      key,
      docs.map((d) => d.body),
    ),
  };
};
