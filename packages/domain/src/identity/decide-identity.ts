import { citizenKey, type CitizenId } from '@nexo/identifiers';
import type { Problem } from '@nexo/fhir';
import {
  DEMOGRAPHIC_FIELDS,
  type CitizensMergedData,
  type CitizenIdentifiedData,
  type Demographics,
  type IdentifiersLinkedData,
  type IdentifiersUnlinkedData,
} from './identity-events.ts';
import {
  distinctIdentifiers,
  identifierSetProblem,
  sameIdentifier,
  unionIdentifiers,
  type Person,
} from './person.ts';

/**
 * What the identity read model says about the persons and identifiers a command touches,
 * loaded by the caller at one registry version (the version the append then expects).
 */
export interface IdentitySnapshot {
  /** Person id by citizen key, for the command's identifiers that are linked. */
  readonly linkedTo: ReadonlyMap<string, string>;
  /** The persons involved, by id. */
  readonly persons: ReadonlyMap<string, Person>;
}

export type IdentityCommand =
  | {
      readonly kind: 'identify';
      readonly newPersonId: string;
      readonly identifiers: readonly CitizenId[];
      readonly demographics: Demographics;
    }
  | { readonly kind: 'link'; readonly personId: string; readonly identifiers: readonly CitizenId[] }
  | { readonly kind: 'unlink'; readonly personId: string; readonly identifiers: readonly CitizenId[] }
  | { readonly kind: 'merge'; readonly personId: string; readonly mergedPersonId: string };

export type IdentityDecision =
  | { readonly kind: 'CitizenIdentified'; readonly data: CitizenIdentifiedData }
  | { readonly kind: 'IdentifiersLinked'; readonly data: IdentifiersLinkedData }
  | { readonly kind: 'IdentifiersUnlinked'; readonly data: IdentifiersUnlinkedData }
  | { readonly kind: 'CitizensMerged'; readonly data: CitizensMergedData }
  | { readonly kind: 'unchanged'; readonly personId: string }
  | { readonly kind: 'reject'; readonly problems: readonly Problem[] };

const conflict = (message: string, expression?: string): IdentityDecision => ({
  kind: 'reject',
  problems: [{ code: 'NEXO_ERR_IDENTITY_CONFLICT', message, ...(expression ? { expression } : {}) }],
});
const notFound = (message: string): IdentityDecision => ({
  kind: 'reject',
  problems: [{ code: 'NEXO_ERR_NOT_FOUND', message }],
});

/** Conflicts change nothing: every rejection is decided before any event exists. */
export const decideIdentity = (command: IdentityCommand, snapshot: IdentitySnapshot): IdentityDecision => {
  switch (command.kind) {
    case 'identify':
      return identify(command, snapshot);
    case 'link':
      return link(command, snapshot);
    case 'unlink':
      return unlink(command, snapshot);
    case 'merge':
      return merge(command, snapshot);
  }
};

const identify = (
  command: Extract<IdentityCommand, { kind: 'identify' }>,
  snapshot: IdentitySnapshot,
): IdentityDecision => {
  const owners = new Set(command.identifiers.flatMap((i) => snapshot.linkedTo.get(citizenKey(i)) ?? []));
  if (owners.size > 1)
    return conflict('these identifiers name different persons; merge the persons first.', 'identifiers');
  const existing = [...owners][0];
  const person = existing ? snapshot.persons.get(existing) : undefined;
  const identifiers = unionIdentifiers(person?.identifiers ?? [], command.identifiers);
  const problem = identifierSetProblem(person?.identifiers ?? [], command.identifiers);
  if (problem) return conflict(`${problem}.`, 'identifiers');
  // The registry sending a person again as it is: nothing to record.
  if (
    person &&
    identifiers.length === person.identifiers.length &&
    sameDemographics(person.demographics, command.demographics)
  )
    return { kind: 'unchanged', personId: person.personId };
  return {
    kind: 'CitizenIdentified',
    data: {
      personId: person?.personId ?? command.newPersonId,
      identifiers,
      demographics: command.demographics,
    },
  };
};

/**
 * The person a link or an unlink changes, or why it cannot: unknown, merged into another (whose
 * survivor holds its identifiers), or an identifier of the command already names someone else.
 */
const personToChange = (
  command: Extract<IdentityCommand, { kind: 'link' | 'unlink' }>,
  snapshot: IdentitySnapshot,
  otherOwner: string,
): Person | IdentityDecision => {
  const person = snapshot.persons.get(command.personId);
  if (!person) return notFound(`no person ${command.personId}.`);
  if (person.mergedInto)
    return conflict(
      `person ${command.personId} was merged into ${person.mergedInto}; ${command.kind === 'link' ? 'link to' : 'unlink from'} that person instead.`,
      'personId',
    );
  for (const [index, identifier] of command.identifiers.entries()) {
    const owner = snapshot.linkedTo.get(citizenKey(identifier));
    if (owner && owner !== person.personId)
      return conflict(`identifiers[${index}] ${otherOwner}`, `identifiers[${index}]`);
  }
  return person;
};

const isDecision = (value: Person | IdentityDecision): value is IdentityDecision => 'kind' in value;

const link = (
  command: Extract<IdentityCommand, { kind: 'link' }>,
  snapshot: IdentitySnapshot,
): IdentityDecision => {
  const person = personToChange(
    command,
    snapshot,
    'already names another person; merge the persons instead.',
  );
  if (isDecision(person)) return person;
  const added = distinctIdentifiers(command.identifiers).filter(
    (i) => !person.identifiers.some((p) => sameIdentifier(p, i)),
  );
  if (added.length === 0) return { kind: 'unchanged', personId: person.personId };
  const problem = identifierSetProblem(person.identifiers, added);
  if (problem) return conflict(`${problem}.`, 'identifiers');
  return { kind: 'IdentifiersLinked', data: { personId: person.personId, identifiers: added } };
};

/**
 * The registry undoing a link it made by mistake (an identifier of someone else): each identifier
 * stops naming the person. One of a merged person is unlinked from the survivor, which holds it.
 * A person keeps at least one identifier: a person wrongly made whole is merged into the right one,
 * or their identifiers are unlinked one call at a time, keeping the right one.
 */
const unlink = (
  command: Extract<IdentityCommand, { kind: 'unlink' }>,
  snapshot: IdentitySnapshot,
): IdentityDecision => {
  const person = personToChange(command, snapshot, `names another person, not ${command.personId}.`);
  if (isDecision(person)) return person;
  const removed = distinctIdentifiers(command.identifiers).filter((i) =>
    person.identifiers.some((p) => sameIdentifier(p, i)),
  );
  if (removed.length === 0) return { kind: 'unchanged', personId: person.personId };
  if (removed.length === person.identifiers.length)
    return conflict('a person keeps at least one identifier; leave the one that is theirs.', 'identifiers');
  return { kind: 'IdentifiersUnlinked', data: { personId: person.personId, identifiers: removed } };
};

const merge = (
  command: Extract<IdentityCommand, { kind: 'merge' }>,
  snapshot: IdentitySnapshot,
): IdentityDecision => {
  if (command.personId === command.mergedPersonId)
    return conflict('a person cannot be merged into itself.', 'mergedPersonId');
  const survivor = snapshot.persons.get(command.personId);
  const merged = snapshot.persons.get(command.mergedPersonId);
  if (!survivor) return notFound(`no person ${command.personId}.`);
  if (!merged) return notFound(`no person ${command.mergedPersonId}.`);
  if (merged.mergedInto === survivor.personId) return { kind: 'unchanged', personId: survivor.personId };
  if (survivor.mergedInto)
    return conflict(
      `person ${survivor.personId} was already merged into ${survivor.mergedInto}.`,
      'personId',
    );
  if (merged.mergedInto)
    return conflict(
      `person ${merged.personId} was already merged into ${merged.mergedInto}.`,
      'mergedPersonId',
    );
  if (
    identifiersOf(merged).some((i) => i.kind === 'CPF') &&
    identifiersOf(survivor).some((i) => i.kind === 'CPF')
  ) {
    const cpfs = new Set(
      [...identifiersOf(merged), ...identifiersOf(survivor)]
        .filter((i) => i.kind === 'CPF')
        .map((i) => i.number),
    );
    if (cpfs.size > 1)
      return conflict('the two persons hold different CPFs; they cannot be one person.', 'mergedPersonId');
  }
  return {
    kind: 'CitizensMerged',
    data: { personId: survivor.personId, mergedPersonId: merged.personId, identifiers: merged.identifiers },
  };
};

const identifiersOf = (person: Person): readonly CitizenId[] => person.identifiers;

const sameDemographics = (a: Demographics, b: Demographics): boolean =>
  DEMOGRAPHIC_FIELDS.every((field) => a[field] === b[field]);
