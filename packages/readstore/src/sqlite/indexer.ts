/**
 * Keeps `document_index` in step with the documents for every declared (collection, field): the
 * rows are rewritten with each put, dropped with each delete, and backfilled when an index is
 * declared (or its sort field changes) over documents that already exist.
 */
import type { CollectionIndex } from '../port.ts';
import { indexValues, sortKeyOf } from '../index-keys.ts';
import type { ReadStatements } from './statements.ts';

const BACKFILL_PAGE = 1_000;

const key = (collection: string, field: string): string => `${collection}\u0000${field}`;

export class DocumentIndexer {
  readonly #statements: ReadStatements;
  /** Declared indexes by collection, loaded from the file and kept in memory. */
  readonly #byCollection = new Map<string, CollectionIndex[]>();
  readonly #byField = new Map<string, CollectionIndex>();

  constructor(statements: ReadStatements) {
    this.#statements = statements;
    for (const row of statements.declarations.all()) this.#remember(row);
  }

  /** The declaration `find` uses, or undefined when (collection, field) was never declared. */
  declared(collection: string, field: string): CollectionIndex | undefined {
    return this.#byField.get(key(collection, field));
  }

  /** Must run inside a transaction. Returns the indexes that were new or changed. */
  declare(indexes: readonly CollectionIndex[]): CollectionIndex[] {
    const requested = new Map<string, CollectionIndex>();
    for (const index of indexes) {
      if (index.collection === '' || index.field === '' || index.sortBy === '') {
        throw new RangeError('an index needs a collection, a field and a sortBy');
      }
      const previous = requested.get(key(index.collection, index.field));
      if (previous !== undefined && previous.sortBy !== index.sortBy) {
        throw new RangeError(`${index.collection}.${index.field} is declared with two sort fields`);
      }
      requested.set(key(index.collection, index.field), index);
    }
    const changed = [...requested.values()].filter(
      (index) => this.declared(index.collection, index.field)?.sortBy !== index.sortBy,
    );
    for (const index of changed) {
      this.#statements.declare.run(index.collection, index.field, index.sortBy);
      this.#statements.unindexField.run(index.collection, index.field);
      this.#backfill(index);
    }
    return changed;
  }

  /** Forgets in-memory declarations after a rolled-back `declare`, reloading them from the file. */
  reload(): void {
    this.#byCollection.clear();
    this.#byField.clear();
    for (const row of this.#statements.declarations.all()) this.#remember(row);
  }

  /** Must run inside a transaction. Rewrites the index rows of one document (`created`: it did not exist). */
  put(collection: string, id: string, body: unknown, created = false): void {
    const indexes = this.#byCollection.get(collection);
    if (indexes === undefined) return;
    // A document written for the first time has no index rows yet: nothing to delete.
    if (!created) this.#statements.unindexDocument.run(collection, id);
    for (const index of indexes) this.#write(index, id, body);
  }

  /** Must run inside a transaction. */
  remove(collection: string, id: string): void {
    if (this.#byCollection.has(collection)) this.#statements.unindexDocument.run(collection, id);
  }

  #remember(index: CollectionIndex): void {
    const declaration = { collection: index.collection, field: index.field, sortBy: index.sortBy };
    const siblings = (this.#byCollection.get(index.collection) ?? []).filter((i) => i.field !== index.field);
    this.#byCollection.set(index.collection, [...siblings, declaration]);
    this.#byField.set(key(index.collection, index.field), declaration);
  }

  #write(index: CollectionIndex, id: string, body: unknown): void {
    const sortKey = sortKeyOf(body, index.sortBy);
    for (const value of indexValues(body, index.field)) {
      this.#statements.indexEntry.run(index.collection, index.field, value, sortKey, id);
    }
  }

  #backfill(index: CollectionIndex): void {
    this.#remember(index);
    let after = '';
    for (;;) {
      const page = this.#statements.collectionPage.all(index.collection, after, BACKFILL_PAGE);
      for (const row of page) this.#write(index, row.id, JSON.parse(row.body) as unknown);
      const last = page.at(-1);
      if (last === undefined || page.length < BACKFILL_PAGE) return;
      after = last.id;
    }
  }
}
