import { setTimeout as sleep } from 'node:timers/promises';
import { isConcurrencyError, type EventStore } from '@nexo/eventstore';
import type { ReadStore } from '@nexo/readstore';
import { NexoError, type Problem } from '@nexo/fhir';
import { citizenKey } from '@nexo/identifiers';
import {
  COLLECTIONS,
  IDENTITY_META_ID,
  IDENTITY_STREAM,
  SCHEMA_VERSIONS,
  decideIdentity,
  type IdentifierLink,
  type IdentityCommand,
  type Person,
} from '@nexo/domain';

export interface IdentityDeps {
  readonly store: EventStore;
  readonly readStore: ReadStore;
  readonly clock: () => Date;
  readonly newId: () => string;
}

export type IdentityResult =
  | { readonly kind: 'changed'; readonly personId: string; readonly created: boolean }
  | { readonly kind: 'unchanged'; readonly personId: string }
  | { readonly kind: 'rejected'; readonly problems: readonly Problem[] };

/** The projector needs a moment to apply the previous identity event; past this, give up. */
const MAX_ATTEMPTS = 12;

/**
 * Decides an identity command on the identity read model and appends the event to the
 * registry stream expecting the version that read model has applied. A read model that lags
 * makes the append conflict, so a decision is never taken on stale identity.
 */
export const runIdentityCommand = async (
  deps: IdentityDeps,
  command: IdentityCommand,
  correlationId: string,
): Promise<IdentityResult> => {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const meta = await deps.readStore.get<{ version: number }>(COLLECTIONS.identityMeta, IDENTITY_META_ID);
    const snapshot = await loadSnapshot(deps.readStore, command);
    const decision = decideIdentity(command, snapshot);
    if (decision.kind === 'reject') return { kind: 'rejected', problems: decision.problems };
    if (decision.kind === 'unchanged') return decision;
    const first = 'identifiers' in decision.data ? decision.data.identifiers[0] : undefined;
    try {
      await deps.store.append(IDENTITY_STREAM, meta?.body.version ?? 0, [
        {
          id: deps.newId(),
          type: decision.kind,
          schemaVersion: SCHEMA_VERSIONS[decision.kind],
          occurredAt: deps.clock().toISOString(),
          sender: 'identity-feed',
          citizenKey: first ? citizenKey(first) : '',
          correlationId,
          data: decision.data,
        },
      ]);
      const created = command.kind === 'identify' && decision.data.personId === command.newPersonId;
      return { kind: 'changed', personId: decision.data.personId, created };
    } catch (err) {
      if (!isConcurrencyError(err)) throw err;
      await sleep(Math.min(25 * attempt, 200));
    }
  }
  throw new NexoError('NEXO_ERR_UNAVAILABLE', 'the identity registry is busy; retry the same request.');
};

const loadSnapshot = async (readStore: ReadStore, command: IdentityCommand) => {
  const identifiers = command.kind === 'merge' ? [] : command.identifiers;
  const links = await readStore.getMany<IdentifierLink>(
    COLLECTIONS.identityLinks,
    identifiers.map(citizenKey),
  );
  const linkedTo = new Map(links.map((d) => [d.id, d.body.personId]));
  const personIds = [
    ...linkedTo.values(),
    ...(command.kind === 'identify' ? [] : [command.personId]),
    ...(command.kind === 'merge' ? [command.mergedPersonId] : []),
  ];
  const persons = await readStore.getMany<Person>(COLLECTIONS.persons, [...new Set(personIds)]);
  return { linkedTo, persons: new Map(persons.map((d) => [d.id, d.body])) };
};
