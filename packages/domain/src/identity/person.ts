import { cnsCategory, type CitizenId } from '@nexo/identifiers';
import type { Demographics } from './identity-events.ts';

/** The identity read model: a person with every identifier that names them. */
export interface Person {
  readonly personId: string;
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

/** The number systems show: the definitive CNS (starting 1 or 2), else the first CNS. */
export const displayCns = (person: Pick<Person, 'identifiers'>): string | undefined => {
  const cns = person.identifiers.filter((i) => i.kind === 'CNS');
  return (cns.find((i) => cnsCategory(i.number) === 'definitive') ?? cns[0])?.number;
};

export const sameIdentifier = (a: CitizenId, b: CitizenId): boolean =>
  a.kind === b.kind && a.number === b.number;

export const unionIdentifiers = (a: readonly CitizenId[], b: readonly CitizenId[]): CitizenId[] => [
  ...a,
  ...b.filter((x) => !a.some((y) => sameIdentifier(x, y))),
];

/** A person holds at most one definitive CNS and one CPF; returns what the set breaks, if anything. */
export const identifierSetProblem = (identifiers: readonly CitizenId[]): string | undefined => {
  const definitive = identifiers.filter((i) => i.kind === 'CNS' && cnsCategory(i.number) === 'definitive');
  if (definitive.length > 1) return 'a person has one definitive CNS; these identifiers hold two';
  if (identifiers.filter((i) => i.kind === 'CPF').length > 1)
    return 'a person has one CPF; these identifiers hold two';
  return undefined;
};
