import type { DocumentWrite, ReadStore } from '@nexo/readstore';
import {
  COLLECTIONS,
  IDENTITY_META_ID,
  IDENTITY_STREAM,
  applyIdentity,
  type AnyDomainEvent,
  type IdentityEvent,
  type IdentifierLink,
  type Person,
} from '@nexo/domain';

export interface IdentityMeta {
  /** The identity-registry stream version this read model has applied. */
  readonly version: number;
}

const isIdentityEvent = (event: AnyDomainEvent): event is AnyDomainEvent & IdentityEvent =>
  event.stream === IDENTITY_STREAM &&
  (event.type === 'CitizenIdentified' ||
    event.type === 'IdentifiersLinked' ||
    event.type === 'IdentifiersUnlinked' ||
    event.type === 'CitizensMerged');

/**
 * Plans the identity read-model writes of a batch: persons, identifier links and the applied
 * registry version, all in the same commit as the rest of the batch. Events at or below the
 * stored version were applied already and change nothing.
 */
export const planIdentityWrites = async (
  readStore: ReadStore,
  events: readonly AnyDomainEvent[],
): Promise<DocumentWrite[]> => {
  const identityEvents = events.filter(isIdentityEvent);
  if (identityEvents.length === 0) return [];
  const meta = await readStore.get<IdentityMeta>(COLLECTIONS.identityMeta, IDENTITY_META_ID);
  const fresh = identityEvents.filter((e) => e.version > (meta?.body.version ?? 0));
  if (fresh.length === 0) return [];

  const personIds = fresh.flatMap((e) =>
    e.type === 'CitizensMerged' ? [e.data.personId, e.data.mergedPersonId] : [e.data.personId],
  );
  const loadedPersons = await readStore.getMany<Person>(COLLECTIONS.persons, [...new Set(personIds)]);
  const persons = new Map(
    loadedPersons.map((d) => [d.id, { revision: d.revision, body: d.body, dirty: false }]),
  );
  // By citizen key: the link to write, or undefined for a link to remove (the last event wins).
  const links = new Map<string, IdentifierLink | undefined>();

  for (const event of fresh) {
    const changes = applyIdentity(event, (id) => persons.get(id)?.body);
    for (const person of changes.persons) {
      persons.set(person.personId, {
        revision: persons.get(person.personId)?.revision ?? 0,
        body: person,
        dirty: true,
      });
    }
    for (const link of changes.links) links.set(link.citizenKey, link);
    for (const key of changes.unlinked) links.set(key, undefined);
  }
  const existingLinks = await readStore.getMany<IdentifierLink>(COLLECTIONS.identityLinks, [...links.keys()]);
  const linkRevision = new Map(existingLinks.map((d) => [d.id, d.revision]));
  const last = fresh.at(-1)?.version ?? 0;
  return [
    ...[...persons].flatMap(([id, p]): DocumentWrite[] =>
      p.dirty
        ? [{ kind: 'put', collection: COLLECTIONS.persons, id, expectedRevision: p.revision, body: p.body }]
        : [],
    ),
    ...[...links].flatMap(([id, body]): DocumentWrite[] => {
      const expectedRevision = linkRevision.get(id) ?? 0;
      if (body !== undefined)
        return [{ kind: 'put', collection: COLLECTIONS.identityLinks, id, expectedRevision, body }];
      // A link made and undone within the batch, or never stored: nothing to remove.
      return expectedRevision === 0
        ? []
        : [{ kind: 'delete', collection: COLLECTIONS.identityLinks, id, expectedRevision }];
    }),
    {
      kind: 'put',
      collection: COLLECTIONS.identityMeta,
      id: IDENTITY_META_ID,
      expectedRevision: meta?.revision ?? 0,
      body: { version: last },
    },
  ];
};
