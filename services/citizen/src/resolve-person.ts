import type { ReadStore } from '@nexo/readstore';
import { citizenKey, type CitizenId } from '@nexo/identifiers';
import {
  COLLECTIONS,
  unionCitizenRecords,
  type CitizenRecords,
  type IdentifierLink,
  type Person,
} from '@nexo/domain';

/** Merges are followed at most this far; the registry never chains deeper in practice. */
const MAX_MERGE_HOPS = 8;

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
  let person = link
    ? (await readStore.get<Person>(COLLECTIONS.persons, link.body.personId))?.body
    : undefined;
  for (let hop = 0; person?.mergedInto && hop < MAX_MERGE_HOPS; hop++) {
    person = (await readStore.get<Person>(COLLECTIONS.persons, person.mergedInto))?.body;
  }
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
