import { isConcurrencyError } from '@nexo/eventstore';
import type { ReadStore } from '@nexo/readstore';
import type { Problem } from '@nexo/fhir';
import { citizenKey } from '@nexo/identifiers';
import {
  COLLECTIONS,
  IDENTITY_STREAM,
  SCHEMA_VERSIONS,
  decideIdentity,
  type IdentifierLink,
  type IdentityCommand,
  type Person,
} from '@nexo/domain';
import {
  IDENTITY_COMMAND_DEADLINE_MS,
  identityReadModelVersion,
  identityTimer,
  registryBusy,
  type IdentityReadDeps,
} from './identity-read-model.ts';

export interface IdentityDeps extends IdentityReadDeps {
  readonly clock: () => Date;
  readonly newId: () => string;
}

export type IdentityResult =
  | { readonly kind: 'changed'; readonly personId: string; readonly created: boolean }
  | { readonly kind: 'unchanged'; readonly personId: string }
  | { readonly kind: 'rejected'; readonly problems: readonly Problem[] };

/**
 * Decides an identity command on the identity read model and appends the event to the registry
 * stream expecting the version that read model has applied. Every decision, a rejection or
 * "unchanged" as much as an event, waits first for the read model to hold what the stream held
 * when the command arrived (identityReadModelVersion): the registry reads its own writes, so a
 * person created or merged a moment ago is found. A change appended meanwhile by a concurrent
 * command makes the append conflict, and the command is decided again. The whole command has one
 * deadline (IDENTITY_COMMAND_DEADLINE_MS): each wait uses the time left, and no attempt starts past
 * it; then the answer is 503 with `Retry-After`, nothing appended. An appended change is answered
 * once the read model holds it, or at the deadline.
 */
export const runIdentityCommand = async (
  deps: IdentityDeps,
  command: IdentityCommand,
  correlationId: string,
): Promise<IdentityResult> => {
  const timer = identityTimer(deps);
  const deadline = timer.now() + (deps.identityCommandDeadlineMs ?? IDENTITY_COMMAND_DEADLINE_MS);
  // No cap on the attempts but the deadline: each one waits first for the view to hold the change
  // it lost to, and a burst of registry writes settles one by one well within it.
  while (timer.now() < deadline) {
    const version = await identityReadModelVersion(deps, deadline);
    const snapshot = await loadSnapshot(deps.readStore, command);
    const decision = decideIdentity(command, snapshot);
    if (decision.kind === 'reject') return { kind: 'rejected', problems: decision.problems };
    if (decision.kind === 'unchanged') return decision;
    try {
      await deps.store.append(IDENTITY_STREAM, version, [
        {
          id: deps.newId(),
          type: decision.kind,
          schemaVersion: SCHEMA_VERSIONS[decision.kind],
          occurredAt: deps.clock().toISOString(),
          sender: 'identity-feed',
          // No citizen key: the distributed bus partitions events by it, and the registry's one
          // stream must stay in one partition, in its order. Keyed by each event's first
          // identifier, a link could be consumed before the identification it follows, and the
          // read model, which applies only versions past its own, would skip the identification.
          citizenKey: '',
          correlationId,
          data: decision.data,
        },
      ]);
      // Answered once the views hold the change too: after an unlink's answer the citizen API no
      // longer shows either holder the other's records, not a few milliseconds later. The change
      // is durable already, so a view still behind at the deadline does not make it a 503.
      await identityReadModelVersion(deps, deadline).catch(() => undefined);
      const created = command.kind === 'identify' && decision.data.personId === command.newPersonId;
      return { kind: 'changed', personId: decision.data.personId, created };
    } catch (err) {
      if (!isConcurrencyError(err)) throw err;
    }
  }
  throw registryBusy();
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
