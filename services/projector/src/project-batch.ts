import type { StoredEvent } from '@nexo/eventstore';
import { isRevisionConflict, type DocumentWrite, type ReadStore, type StoredDocument } from '@nexo/readstore';
import { planIdentityWrites } from './plan-identity.ts';
import { planCorrectionWrites } from './plan-corrections.ts';
import { planEstablishmentWrites } from './plan-establishments.ts';
import {
  COLLECTIONS,
  applyToCitizenRecords,
  emptyCitizenRecords,
  isEventType,
  recordIndexChanges,
  rejectionEntry,
  supersede,
  type AnyDomainEvent,
  type CitizenRecords,
  type RecordEntry,
} from '@nexo/domain';

/** A revision conflict means another projector wrote the same documents: reload and retry. */
const MAX_ATTEMPTS = 5;

/**
 * Applies a batch of events to the read models in one atomic commit, together with the
 * consumer's checkpoint. Applying a batch again changes nothing (per-stream versions and
 * existing entries are checked), so at-least-once delivery has an exactly-once effect.
 */
export const projectBatch = async (
  readStore: ReadStore,
  events: readonly StoredEvent[],
  consumer?: string,
): Promise<void> => {
  const last = events.at(-1);
  const checkpoint = consumer && last ? { consumer, position: String(last.position) } : undefined;
  for (let attempt = 1; ; attempt++) {
    const writes = await planBatch(readStore, events);
    if (writes.length === 0 && !checkpoint) return;
    try {
      await readStore.commit(writes, checkpoint);
      return;
    } catch (err) {
      if (!isRevisionConflict(err) || attempt >= MAX_ATTEMPTS) throw err;
    }
  }
};

/**
 * What applying the events changes in the read models, read from them but written nowhere: a
 * failure here is the events' (or the projection code's), never a lost write.
 */
export const planBatch = async (
  readStore: ReadStore,
  events: readonly StoredEvent[],
): Promise<DocumentWrite[]> => [
  ...(await planWrites(readStore, events.filter((e) => isEventType(e.type)) as unknown as AnyDomainEvent[])),
  ...(await planEstablishmentWrites(readStore, events)),
];

const planWrites = async (
  readStore: ReadStore,
  events: readonly AnyDomainEvent[],
): Promise<DocumentWrite[]> => {
  const citizens = await loadAll<CitizenRecords>(
    readStore,
    COLLECTIONS.citizenRecords,
    events.filter(isCitizenEvent).map((e) => e.citizenKey),
  );
  const changes = events.map(recordIndexChanges);
  const recordIds = changes.flatMap((list) =>
    list.map((c) => (c.op === 'create' ? c.entry.recordId : c.recordId)),
  );
  const records = await loadAll<RecordEntry>(readStore, COLLECTIONS.records, recordIds);
  const rejectionIds = events.flatMap((e) => rejectionEntry(e)?.rejectionId ?? []);
  const existingRejections = await loadAll(readStore, COLLECTIONS.rejections, rejectionIds);

  const rejections = new Map<string, unknown>();
  for (const [i, event] of events.entries()) {
    if (isCitizenEvent(event)) {
      const doc = citizens.get(event.citizenKey);
      const view = doc?.body ?? emptyCitizenRecords(event.citizenKey);
      const next = applyToCitizenRecords(view, event);
      if (next !== view)
        citizens.set(event.citizenKey, { revision: doc?.revision ?? 0, body: next, dirty: true });
    }
    for (const change of changes[i] ?? []) {
      if (change.op === 'create') {
        if (!records.has(change.entry.recordId))
          records.set(change.entry.recordId, { revision: 0, body: change.entry, dirty: true });
      } else {
        const doc = records.get(change.recordId);
        if (doc) {
          const next = supersede(doc.body, change);
          if (next !== doc.body) records.set(change.recordId, { ...doc, body: next, dirty: true });
        }
      }
    }
    const rejection = rejectionEntry(event);
    if (rejection && !existingRejections.has(rejection.rejectionId))
      rejections.set(rejection.rejectionId, rejection);
  }
  return [
    ...(await planIdentityWrites(readStore, events)),
    ...(await planCorrectionWrites(readStore, events)),
    ...dirtyWrites(COLLECTIONS.citizenRecords, citizens),
    ...dirtyWrites(COLLECTIONS.records, records),
    ...[...rejections].map(([id, body]): DocumentWrite => ({
      kind: 'put',
      collection: COLLECTIONS.rejections,
      id,
      expectedRevision: 0,
      body,
    })),
  ];
};

interface Loaded<T> {
  readonly revision: number;
  readonly body: T;
  readonly dirty?: boolean;
}

const loadAll = async <T>(
  readStore: ReadStore,
  collection: string,
  ids: readonly string[],
): Promise<Map<string, Loaded<T>>> => {
  const unique = [...new Set(ids)];
  const docs: StoredDocument<T>[] = unique.length > 0 ? await readStore.getMany<T>(collection, unique) : [];
  return new Map(docs.map((d) => [d.id, { revision: d.revision, body: d.body }]));
};

const dirtyWrites = <T>(collection: string, docs: Map<string, Loaded<T>>): DocumentWrite[] =>
  [...docs].flatMap(([id, doc]) =>
    doc.dirty
      ? [{ kind: 'put' as const, collection, id, expectedRevision: doc.revision, body: doc.body }]
      : [],
  );

const isCitizenEvent = (event: AnyDomainEvent): boolean =>
  event.citizenKey !== '' &&
  (event.type === 'RecordSubmitted' || event.type === 'RecordReplaced' || event.type === 'RecordCancelled');
