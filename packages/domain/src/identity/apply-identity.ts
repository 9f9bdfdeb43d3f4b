import { citizenKey } from '@nexo/identifiers';
import type { CitizensMergedData, CitizenIdentifiedData, IdentifiersLinkedData } from './identity-events.ts';
import { unionIdentifiers, type IdentifierLink, type Person } from './person.ts';

/**
 * The identity projection as document changes: persons by id and links by citizen key. The
 * caller applies an event only if its registry version is newer than the one stored with the
 * read model, which makes the application idempotent.
 */
export interface IdentityChanges {
  readonly persons: Person[];
  readonly links: IdentifierLink[];
}

export type IdentityEvent =
  | { readonly type: 'CitizenIdentified'; readonly data: CitizenIdentifiedData }
  | { readonly type: 'IdentifiersLinked'; readonly data: IdentifiersLinkedData }
  | { readonly type: 'CitizensMerged'; readonly data: CitizensMergedData };

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
      return { persons: [person], links: linksOf(person.personId, event.data.identifiers) };
    }
    case 'IdentifiersLinked': {
      const current = personOf(event.data.personId);
      if (!current) return { persons: [], links: [] };
      const person = {
        ...current,
        identifiers: unionIdentifiers(current.identifiers, event.data.identifiers),
      };
      return { persons: [person], links: linksOf(person.personId, event.data.identifiers) };
    }
    case 'CitizensMerged': {
      const survivor = personOf(event.data.personId);
      const merged = personOf(event.data.mergedPersonId);
      if (!survivor || !merged) return { persons: [], links: [] };
      return {
        persons: [
          { ...survivor, identifiers: unionIdentifiers(survivor.identifiers, merged.identifiers) },
          { ...merged, mergedInto: survivor.personId },
        ],
        links: linksOf(survivor.personId, merged.identifiers),
      };
    }
  }
};

const linksOf = (personId: string, identifiers: CitizenIdentifiedData['identifiers']): IdentifierLink[] =>
  identifiers.map((i) => ({ citizenKey: citizenKey(i), personId }));
