import type { ReadStore } from '@nexo/readstore';
import { COLLECTIONS, currentPerson, type IdentifierLink, type Person } from '@nexo/domain';
import { identityReadModelVersion, type IdentityReadDeps } from './identity-read-model.ts';

/**
 * Whether the national registry links two citizen keys to one person, after following merges, as
 * of every identity change already answered: a link the registry made a moment ago counts. It
 * first waits for the identity read model to apply what the registry stream holds (the identity
 * feed's own wait, `identityReadModelVersion`: up to 2 s, then 503 `NEXO_ERR_UNAVAILABLE` with
 * `Retry-After`, nothing changed). Two keys the registry does not know are not the same person.
 * Ingest asks only for a replacement or cancellation naming another identifier than its record's.
 */
export const sameRegisteredPerson = async (
  deps: IdentityReadDeps,
  filedUnder: string,
  named: string,
): Promise<boolean> => {
  await identityReadModelVersion(deps);
  const [a, b] = await Promise.all([personOf(deps.readStore, filedUnder), personOf(deps.readStore, named)]);
  return a !== undefined && a === b;
};

/**
 * The id of the person a citizen key names now (the survivor of any merge, followed as the citizen
 * API follows them), if the registry knows it.
 */
const personOf = async (readStore: ReadStore, key: string): Promise<string | undefined> => {
  const link = await readStore.get<IdentifierLink>(COLLECTIONS.identityLinks, key);
  if (link === undefined) return undefined;
  const person = await currentPerson(
    link.body.personId,
    async (personId) => (await readStore.get<Person>(COLLECTIONS.persons, personId))?.body,
  );
  return person?.personId;
};
