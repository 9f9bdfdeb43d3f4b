import type { StoredEvent } from '@nexo/eventstore';
import type { DocumentWrite, ReadStore } from '@nexo/readstore';
import { COLLECTIONS } from '@nexo/domain';

/** What the citizen views need of an establishment: the name it registered under. */
export interface EstablishmentName {
  readonly cnes: string;
  readonly name: string;
}

const REGISTERED = 'EstablishmentRegistered';

const registrationOf = (event: StoredEvent): EstablishmentName | undefined => {
  if (event.type !== REGISTERED) return undefined;
  const data = event.data as { cnes?: unknown; name?: unknown };
  return typeof data.cnes === 'string' && typeof data.name === 'string'
    ? { cnes: data.cnes, name: data.name }
    : undefined;
};

/**
 * Names of registered establishments by CNES, so the citizen sees who sent each record (and
 * whom to ask for a correction) without the citizen API touching the registry's streams.
 * Writing the same name again changes nothing.
 */
export const planEstablishmentWrites = async (
  readStore: ReadStore,
  events: readonly StoredEvent[],
): Promise<DocumentWrite[]> => {
  const latest = new Map<string, EstablishmentName>();
  for (const event of events) {
    const registration = registrationOf(event);
    if (registration) latest.set(registration.cnes, registration);
  }
  if (latest.size === 0) return [];
  const existing = await readStore.getMany<EstablishmentName>(COLLECTIONS.establishments, [...latest.keys()]);
  const stored = new Map(existing.map((d) => [d.id, d]));
  return [...latest.values()].flatMap((body): DocumentWrite[] => {
    const current = stored.get(body.cnes);
    if (current?.body.name === body.name) return [];
    return [
      {
        kind: 'put',
        collection: COLLECTIONS.establishments,
        id: body.cnes,
        expectedRevision: current?.revision ?? 0,
        body,
      },
    ];
  });
};
