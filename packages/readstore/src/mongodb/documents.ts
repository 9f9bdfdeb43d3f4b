/**
 * The read store's MongoDB documents. A read model is one document whose body is kept as JSON text
 * (any JSON round-trips exactly, whatever its keys). Each declared (collection, field) query has
 * one entry per document and field value in `document_index`, with the sort key computed as the
 * embedded store computes it — so both engines order and page `find` results the same way.
 */
import type { CollectionIndex, StoredDocument } from '../port.ts';
import type { SortKey } from '../index-keys.ts';
import { indexValues, sortKeyOf } from '../index-keys.ts';

export const READ_COLLECTIONS = {
  documents: 'documents',
  index: 'document_index',
  declarations: 'collection_indexes',
  checkpoints: 'checkpoints',
} as const;

export interface DocumentRecord {
  /** `documentKey(c, i)`. */
  readonly _id: string;
  readonly c: string;
  readonly i: string;
  readonly revision: number;
  readonly body: string;
}

export interface IndexEntry {
  readonly c: string;
  readonly f: string;
  readonly v: string;
  /** Sort value; null when the document lacks it (such documents come last). */
  readonly s: SortKey;
  readonly i: string;
}

export interface DeclarationRecord {
  /** `declarationKey(c, f)`. */
  readonly _id: string;
  readonly c: string;
  readonly f: string;
  readonly sortBy: string;
}

export interface CheckpointRecord {
  readonly _id: string;
  readonly position: string;
}

export const documentKey = (collection: string, id: string): string => JSON.stringify([collection, id]);

export const declarationKey = (collection: string, field: string): string =>
  JSON.stringify([collection, field]);

export const toDocument = <T>(record: DocumentRecord): StoredDocument<T> => ({
  collection: record.c,
  id: record.i,
  revision: record.revision,
  body: JSON.parse(record.body) as T,
});

export const toDeclaration = (record: DeclarationRecord): CollectionIndex => ({
  collection: record.c,
  field: record.f,
  sortBy: record.sortBy,
});

/** The index entries of one document for the declarations of its collection. */
export const indexEntries = (
  declarations: readonly CollectionIndex[],
  id: string,
  body: unknown,
): IndexEntry[] =>
  declarations.flatMap((declaration) => {
    const s = sortKeyOf(body, declaration.sortBy);
    return indexValues(body, declaration.field).map((v) => ({
      c: declaration.collection,
      f: declaration.field,
      v,
      s,
      i: id,
    }));
  });
