import type { DocumentWrite, ReadStore } from '@nexo/readstore';
import {
  COLLECTIONS,
  applyCorrectionEvent,
  isCorrectionEvent,
  linkRecordChange,
  parseProtocol,
  type AnyDomainEvent,
  type CorrectionRequestView,
  type LinkedRecord,
  type RecordEntry,
} from '@nexo/domain';

/** `correction-by-record/<record id>`: the requests about a record (and about the versions replacing it). */
export interface CorrectionsByRecord {
  readonly recordId: string;
  readonly protocols: readonly string[];
}

/** `correction-counters/<year>`: the highest protocol sequence seen, where allocation starts looking. */
export interface CorrectionCounter {
  readonly year: number;
  readonly last: number;
}

interface Doc<T> {
  revision: number;
  body: T;
  dirty: boolean;
}

const recordChangeOf = (event: AnyDomainEvent): { target: string; change: LinkedRecord } | undefined => {
  if (event.type === 'RecordReplaced')
    return {
      target: event.data.replaces,
      change: { recordId: event.data.recordId, kind: 'replacement', at: event.occurredAt },
    };
  if (event.type === 'RecordCancelled')
    return {
      target: event.data.cancels,
      change: { recordId: event.data.recordId, kind: 'cancellation', at: event.occurredAt },
    };
  return undefined;
};

/**
 * The version that replaced or cancelled `recordId`, as the records read model knows it before this
 * batch; undefined while it is current (or unknown).
 */
const successorInReadModel = async (
  readStore: ReadStore,
  recordId: string,
): Promise<LinkedRecord | undefined> => {
  const entry = (await readStore.get<RecordEntry>(COLLECTIONS.records, recordId))?.body;
  if (!entry?.replacedBy || entry.status === 'current') return undefined;
  const by = (await readStore.get<RecordEntry>(COLLECTIONS.records, entry.replacedBy))?.body;
  return {
    recordId: entry.replacedBy,
    kind: entry.status === 'replaced' ? 'replacement' : 'cancellation',
    at: by?.receivedAt ?? entry.receivedAt,
  };
};

const load = async <T>(readStore: ReadStore, collection: string, ids: readonly string[]) => {
  const unique = [...new Set(ids)];
  const docs = unique.length > 0 ? await readStore.getMany<T>(collection, unique) : [];
  return new Map(
    docs.map((d): [string, Doc<T>] => [d.id, { revision: d.revision, body: d.body, dirty: false }]),
  );
};

const writesOf = <T>(collection: string, docs: Map<string, Doc<T>>): DocumentWrite[] =>
  [...docs].flatMap(([id, doc]): DocumentWrite[] =>
    doc.dirty ? [{ kind: 'put', collection, id, expectedRevision: doc.revision, body: doc.body }] : [],
  );

/**
 * Plans the correction read-model writes of a batch: each request's view (both sides read it),
 * the requests by record, and the protocol counters. A replacement or cancellation of a record
 * that has requests is linked to them automatically, and a replacement inherits the requests so a
 * later correction of the correction is linked too. Every change is idempotent.
 */
export const planCorrectionWrites = async (
  readStore: ReadStore,
  events: readonly AnyDomainEvent[],
): Promise<DocumentWrite[]> => {
  const requests = events.filter((e) => e.type === 'CorrectionRequested');
  const changes = events.flatMap((e) => recordChangeOf(e) ?? []);
  const correctionEvents = events.filter((e) => isCorrectionEvent(e));
  if (correctionEvents.length === 0 && changes.length === 0) return [];

  const byRecord = await load<CorrectionsByRecord>(readStore, COLLECTIONS.correctionsByRecord, [
    ...requests.map((e) => e.data.recordId),
    ...changes.map((c) => c.target),
  ]);
  const views = await load<CorrectionRequestView>(readStore, COLLECTIONS.correctionRequests, [
    ...correctionEvents.map((e) => (e.data as { protocol: string }).protocol),
    ...changes.flatMap((c) => byRecord.get(c.target)?.body.protocols ?? []),
  ]);
  const years = requests.flatMap((e) => parseProtocol(e.data.protocol)?.year ?? []);
  const counters = await load<CorrectionCounter>(
    readStore,
    COLLECTIONS.correctionCounters,
    years.map(String),
  );

  const remember = (recordId: string, protocol: string) => {
    const doc = byRecord.get(recordId) ?? { revision: 0, body: { recordId, protocols: [] }, dirty: false };
    if (doc.body.protocols.includes(protocol)) return;
    byRecord.set(recordId, {
      ...doc,
      body: { recordId, protocols: [...doc.body.protocols, protocol] },
      dirty: true,
    });
  };
  const setView = (protocol: string, next: CorrectionRequestView | undefined) => {
    const doc = views.get(protocol);
    if (!next || next === doc?.body) return;
    views.set(protocol, { revision: doc?.revision ?? 0, body: next, dirty: true });
  };

  // The record changes met in this batch, by the record they replace or cancel: the records read
  // model is read as it was before the batch.
  const successors = new Map<string, LinkedRecord>();
  /**
   * A request can be about a version already replaced or cancelled: the citizen asked from read
   * models a few milliseconds behind the log. Linked now to every change made since, and to the
   * requests of each replacement, as if it had come first: the establishment's later corrections
   * of the record then reach it too, whatever the order.
   */
  const linkChangesSince = async (protocol: string, recordId: string) => {
    const seen = new Set([recordId]);
    for (let current = recordId; ;) {
      const next = successors.get(current) ?? (await successorInReadModel(readStore, current));
      const view = views.get(protocol)?.body;
      if (!next || !view || seen.has(next.recordId)) return;
      seen.add(next.recordId);
      setView(protocol, linkRecordChange(view, next));
      if (next.kind !== 'replacement') return;
      // Its requests' list may exist, other requests being about that version: loaded first, so
      // that the write extends it at its revision.
      if (!byRecord.has(next.recordId))
        for (const [id, doc] of await load<CorrectionsByRecord>(readStore, COLLECTIONS.correctionsByRecord, [
          next.recordId,
        ]))
          byRecord.set(id, doc);
      remember(next.recordId, protocol);
      current = next.recordId;
    }
  };

  for (const event of events) {
    const linked = recordChangeOf(event);
    if (linked) {
      successors.set(linked.target, linked.change);
      for (const protocol of byRecord.get(linked.target)?.body.protocols ?? []) {
        const view = views.get(protocol)?.body;
        if (!view) continue;
        setView(protocol, linkRecordChange(view, linked.change));
        if (linked.change.kind === 'replacement') remember(linked.change.recordId, protocol);
      }
    }
    if (!isCorrectionEvent(event)) continue;
    const protocol = (event.data as { protocol: string }).protocol;
    setView(protocol, applyCorrectionEvent(views.get(protocol)?.body, event));
    if (event.type !== 'CorrectionRequested') continue;
    remember(event.data.recordId, protocol);
    await linkChangesSince(protocol, event.data.recordId);
    const parsed = parseProtocol(protocol);
    if (!parsed) continue;
    const counter = counters.get(String(parsed.year));
    if ((counter?.body.last ?? 0) < parsed.sequence)
      counters.set(String(parsed.year), {
        revision: counter?.revision ?? 0,
        body: { year: parsed.year, last: parsed.sequence },
        dirty: true,
      });
  }
  return [
    ...writesOf(COLLECTIONS.correctionRequests, views),
    ...writesOf(COLLECTIONS.correctionsByRecord, byRecord),
    ...writesOf(COLLECTIONS.correctionCounters, counters),
  ];
};
