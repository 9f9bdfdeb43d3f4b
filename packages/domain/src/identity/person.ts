import { cnsCategory, type CitizenId } from '@nexo/identifiers';
import type { Demographics } from './identity-events.ts';

/** The identity read model: a person with every identifier that names them. */
export interface Person {
  readonly personId: string;
  /**
   * Every identifier that names this person: at least one, and none once merged into another
   * (the survivor holds them). A merge projected before merges moved them left a copy here; see
   * `identifiersNamingPerson`.
   */
  readonly identifiers: readonly CitizenId[];
  readonly demographics: Demographics;
  /** Set when this person was merged into another; reads follow it. */
  readonly mergedInto?: string;
}

/** Which person an identifier (by citizen key) names. */
export interface IdentifierLink {
  readonly citizenKey: string;
  readonly personId: string;
}

/** Merges are followed at most this far; the registry never chains deeper in practice. */
export const MAX_MERGE_HOPS = 8;

/**
 * The person `personId` names now: the survivor of the merges it went through, read with
 * `personOf` (the identity read model, passed in: the domain does no I/O); undefined when the
 * registry does not know it. After MAX_MERGE_HOPS merges, the person reached then.
 */
export const currentPerson = async (
  personId: string,
  personOf: (personId: string) => Promise<Person | undefined>,
): Promise<Person | undefined> => {
  let person = await personOf(personId);
  for (let hop = 0; person?.mergedInto !== undefined && hop < MAX_MERGE_HOPS; hop++) {
    person = await personOf(person.mergedInto);
  }
  return person;
};

/**
 * The identifiers that name `person` itself: none for a merged person, whose identifiers name the
 * survivor, even in a read model that projected the merge when it still left them a copy.
 */
export const identifiersNamingPerson = (person: Person): readonly CitizenId[] =>
  person.mergedInto === undefined ? person.identifiers : [];

/** The number systems show: the definitive CNS (starting 1 or 2), else the first CNS. */
export const displayCns = (person: Pick<Person, 'identifiers'>): string | undefined => {
  const cns = person.identifiers.filter((i) => i.kind === 'CNS');
  return (cns.find((i) => cnsCategory(i.number) === 'definitive') ?? cns[0])?.number;
};

export const sameIdentifier = (a: CitizenId, b: CitizenId): boolean =>
  a.kind === b.kind && a.number === b.number;

/** `list` without repeats: the same kind and number under two systems, or twice, is one identifier. */
export const distinctIdentifiers = (list: readonly CitizenId[]): CitizenId[] =>
  list.filter((x, index) => list.findIndex((y) => sameIdentifier(x, y)) === index);

export const unionIdentifiers = (a: readonly CitizenId[], b: readonly CitizenId[]): CitizenId[] => [
  ...a,
  ...distinctIdentifiers(b).filter((x) => !a.some((y) => sameIdentifier(x, y))),
];

const isDefinitiveCns = (i: CitizenId): boolean => i.kind === 'CNS' && cnsCategory(i.number) === 'definitive';
const isCpf = (i: CitizenId): boolean => i.kind === 'CPF';

/**
 * What adding `added` to a person who holds `held` would break, if anything: a person gets at most
 * one definitive CNS and one CPF. Only what is added is judged. A merge of two registry records
 * that each had a definitive CNS (duplicates the registry joined) leaves a person with two, and
 * that person must still take new provisional numbers and new demographics.
 */
export const identifierSetProblem = (
  held: readonly CitizenId[],
  added: readonly CitizenId[],
): string | undefined => {
  const fresh = distinctIdentifiers(added).filter((i) => !held.some((h) => sameIdentifier(h, i)));
  const secondOf = (is: (i: CitizenId) => boolean): boolean =>
    fresh.some(is) && [...held, ...fresh].filter(is).length > 1;
  if (secondOf(isDefinitiveCns)) return 'a person has one definitive CNS; this would give them a second';
  if (secondOf(isCpf)) return 'a person has one CPF; this would give them a second';
  return undefined;
};
