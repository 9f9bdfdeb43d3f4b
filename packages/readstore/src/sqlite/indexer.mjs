// Keeps `document_index` in step with the documents for every declared (collection, field): the
// rows are rewritten with each put, dropped with each delete, and backfilled when an index is
// declared (or its sort field changes) over documents that already exist. Plain JavaScript, so the
// writer thread (writer-thread.mjs) indexes with the same code as the calling thread.
import { indexValues, sortKeyOf } from '../index-values.mjs';

const BACKFILL_PAGE = 1_000;

const key = (collection, field) => `${collection}\u0000${field}`;

export class DocumentIndexer {
  #statements;
  /** Declared indexes by collection, loaded from the file and kept in memory. */
  #byCollection = new Map();
  #byField = new Map();

  constructor(statements) {
    this.#statements = statements;
    for (const row of statements.declarations.all()) this.#remember(row);
  }

  declared(collection, field) {
    return this.#byField.get(key(collection, field));
  }

  indexes(collection) {
    return this.#byCollection.has(collection);
  }

  declare(indexes) {
    const requested = new Map();
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

  reload() {
    this.#byCollection.clear();
    this.#byField.clear();
    for (const row of this.#statements.declarations.all()) this.#remember(row);
  }

  put(collection, id, body, created = false) {
    const indexes = this.#byCollection.get(collection);
    if (indexes === undefined) return;
    // A document written for the first time has no index rows yet: nothing to delete.
    if (!created) this.#statements.unindexDocument.run(collection, id);
    for (const index of indexes) this.#write(index, id, body);
  }

  remove(collection, id) {
    if (this.#byCollection.has(collection)) this.#statements.unindexDocument.run(collection, id);
  }

  #remember(index) {
    const declaration = { collection: index.collection, field: index.field, sortBy: index.sortBy };
    const siblings = (this.#byCollection.get(index.collection) ?? []).filter((i) => i.field !== index.field);
    this.#byCollection.set(index.collection, [...siblings, declaration]);
    this.#byField.set(key(index.collection, index.field), declaration);
  }

  #write(index, id, body) {
    const sortKey = sortKeyOf(body, index.sortBy);
    for (const value of indexValues(body, index.field)) {
      this.#statements.indexEntry.run(index.collection, index.field, value, sortKey, id);
    }
  }

  #backfill(index) {
    this.#remember(index);
    let after = '';
    for (;;) {
      const page = this.#statements.collectionPage.all(index.collection, after, BACKFILL_PAGE);
      for (const row of page) this.#write(index, row.id, JSON.parse(row.body));
      const last = page.at(-1);
      if (last === undefined || page.length < BACKFILL_PAGE) return;
      after = last.id;
    }
  }
}
