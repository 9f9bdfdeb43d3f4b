/**
 * A read-store commit as one MongoDB transaction: the current revisions of every document the
 * commit touches are read in the transaction's snapshot, the writes are checked and applied in
 * order in memory, and the final state of each document, its index entries and the checkpoint are
 * written together. A concurrent commit on the same documents is a write conflict, which the
 * driver retries from the start, so the revision check always sees committed state.
 */
import type { AnyBulkWriteOperation, ClientSession, Collection, MongoClient } from 'mongodb';
import type { Checkpoint, CollectionIndex, DocumentWrite } from '../port.ts';
import { RevisionConflictError } from '../port.ts';
import { inTransaction } from './client.ts';
import type { CheckpointRecord, DeclarationRecord, DocumentRecord, IndexEntry } from './documents.ts';
import { documentKey, indexEntries, toDeclaration } from './documents.ts';

export interface ReadCollections {
  readonly documents: Collection<DocumentRecord>;
  readonly index: Collection<IndexEntry>;
  readonly declarations: Collection<DeclarationRecord>;
  readonly checkpoints: Collection<CheckpointRecord>;
}

/** A document's state at the end of the commit: its new revision and body, or deleted. */
type FinalState =
  | {
      readonly kind: 'put';
      readonly collection: string;
      readonly id: string;
      readonly revision: number;
      readonly body: unknown;
      readonly text: string;
    }
  | { readonly kind: 'deleted'; readonly collection: string; readonly id: string };

const serialise = (write: DocumentWrite & { kind: 'put' }): string => {
  const text: unknown = JSON.stringify(write.body);
  if (typeof text !== 'string') throw new TypeError(`${write.collection}/${write.id} has no JSON body`);
  return text;
};

/** Declarations of the given collections, read in the transaction. */
const declarationsOf = async (
  collections: ReadCollections,
  names: readonly string[],
  session: ClientSession,
): Promise<Map<string, CollectionIndex[]>> => {
  const records = await collections.declarations.find({ c: { $in: [...names] } }, { session }).toArray();
  const byCollection = new Map<string, CollectionIndex[]>();
  for (const record of records)
    byCollection.set(record.c, [...(byCollection.get(record.c) ?? []), toDeclaration(record)]);
  return byCollection;
};

/** Applies the writes in order to the revisions read; throws on the first stale expectation. */
const plan = (
  writes: readonly DocumentWrite[],
  texts: readonly (string | undefined)[],
  revisions: Map<string, number>,
): Map<string, FinalState> => {
  const finals = new Map<string, FinalState>();
  writes.forEach((write, index) => {
    const key = documentKey(write.collection, write.id);
    const actual = revisions.get(key) ?? 0;
    if (actual !== write.expectedRevision) {
      throw new RevisionConflictError(write.collection, write.id, write.expectedRevision, actual);
    }
    if (write.kind === 'put') {
      revisions.set(key, actual + 1);
      const text = texts[index] ?? 'null';
      finals.set(key, {
        kind: 'put',
        collection: write.collection,
        id: write.id,
        revision: actual + 1,
        body: write.body,
        text,
      });
    } else if (actual > 0) {
      revisions.set(key, 0);
      finals.set(key, { kind: 'deleted', collection: write.collection, id: write.id });
    }
  });
  return finals;
};

export const commitWrites = async (
  client: MongoClient,
  collections: ReadCollections,
  writes: readonly DocumentWrite[],
  checkpoint: Checkpoint | undefined,
): Promise<void> => {
  const texts = writes.map((write) => (write.kind === 'put' ? serialise(write) : undefined));
  const keys = [...new Set(writes.map((write) => documentKey(write.collection, write.id)))];
  await inTransaction(client, async (session) => {
    const current = await collections.documents
      .find({ _id: { $in: keys } }, { session, projection: { revision: 1 } })
      .toArray();
    const finals = plan(writes, texts, new Map(current.map((record) => [record._id, record.revision])));
    if (finals.size > 0) {
      const declarations = await declarationsOf(
        collections,
        [...new Set(writes.map((w) => w.collection))],
        session,
      );
      const documentOps: AnyBulkWriteOperation<DocumentRecord>[] = [];
      const entries: IndexEntry[] = [];
      for (const [key, final] of finals) {
        if (final.kind === 'put') {
          const record = {
            _id: key,
            c: final.collection,
            i: final.id,
            revision: final.revision,
            body: final.text,
          };
          documentOps.push({ replaceOne: { filter: { _id: key }, replacement: record, upsert: true } });
          entries.push(...indexEntries(declarations.get(final.collection) ?? [], final.id, final.body));
        } else {
          documentOps.push({ deleteOne: { filter: { _id: key } } });
        }
      }
      await collections.documents.bulkWrite(documentOps, { session, ordered: true });
      const owners = [...finals.values()].map((final) => ({ c: final.collection, i: final.id }));
      await collections.index.deleteMany({ $or: owners }, { session });
      if (entries.length > 0) await collections.index.insertMany(entries, { session, ordered: false });
    }
    if (checkpoint !== undefined) {
      await collections.checkpoints.updateOne(
        { _id: checkpoint.consumer },
        { $set: { position: checkpoint.position } },
        { session, upsert: true },
      );
    }
  });
};
