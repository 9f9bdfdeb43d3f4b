import { citizenKey } from '@nexo/identifiers';
import type {
  CitizensMergedData,
  CitizenIdentifiedData,
  IdentifiersLinkedData,
  IdentifiersUnlinkedData,
} from './identity-events.ts';
import { sameIdentifier, unionIdentifiers, type IdentifierLink, type Person } from './person.ts';

/**
 * The identity projection as document changes: persons by id and links by citizen key. The
 * caller applies an event only if its registry version is newer than the one stored with the
 * read model, which makes the application idempotent.
 */
export interface IdentityChanges {
  readonly persons: Person[];
  readonly links: IdentifierLink[];
  /** Citizen keys that name nobody any more (their links are removed). */
  readonly unlinked: string[];
}

export type IdentityEvent =
  | { readonly type: 'CitizenIdentified'; readonly data: CitizenIdentifiedData }
  | { readonly type: 'IdentifiersLinked'; readonly data: IdentifiersLinkedData }
  | { readonly type: 'IdentifiersUnlinked'; readonly data: IdentifiersUnlinkedData }
  | { readonly type: 'CitizensMerged'; readonly data: CitizensMergedData };

const NO_CHANGES: IdentityChanges = { persons: [], links: [], unlinked: [] };

export const applyIdentity = (
  event: IdentityEvent,
  personOf: (personId: string) => Person | undefined,
): IdentityChanges => {
  switch (event.type) {
    case 'CitizenIdentified': {
      const current = personOf(event.data.personId);
      const person: Person = {
        personId: event.data.personId,
        identifiers: unionIdentifiers(current?.identifiers ?? [], event.data.identifiers),
        demographics: event.data.demographics,
      };
      return { persons: [person], links: linksOf(person.personId, event.data.identifiers), unlinked: [] };
    }
    case 'IdentifiersLinked': {
      const current = personOf(event.data.personId);
      if (!current) return NO_CHANGES;
      const person = {
        ...current,
        identifiers: unionIdentifiers(current.identifiers, event.data.identifiers),
      };
      return { persons: [person], links: linksOf(person.personId, event.data.identifiers), unlinked: [] };
    }
    case 'IdentifiersUnlinked': {
      const current = personOf(event.data.personId);
      if (!current) return NO_CHANGES;
      const removed = event.data.identifiers;
      const person = {
        ...current,
        identifiers: current.identifiers.filter((i) => !removed.some((r) => sameIdentifier(i, r))),
      };
      return { persons: [person], links: [], unlinked: removed.map(citizenKey) };
    }
    case 'CitizensMerged': {
      const survivor = personOf(event.data.personId);
      const merged = personOf(event.data.mergedPersonId);
      if (!survivor || !merged) return NO_CHANGES;
      return {
        persons: [
          { ...survivor, identifiers: unionIdentifiers(survivor.identifiers, merged.identifiers) },
          // The identifiers move: they name the survivor now, and a copy left with the merged
          // person would still name a number the registry later unlinks from the survivor.
          { ...merged, identifiers: [], mergedInto: survivor.personId },
        ],
        links: linksOf(survivor.personId, merged.identifiers),
        unlinked: [],
      };
    }
  }
};

const linksOf = (personId: string, identifiers: CitizenIdentifiedData['identifiers']): IdentifierLink[] =>
  identifiers.map((i) => ({ citizenKey: citizenKey(i), personId }));
