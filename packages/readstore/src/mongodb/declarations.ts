/**
 * Declared (collection, field) queries. A declaration that is new or changes its sort field is
 * written with a rebuild of its index entries from the existing documents, in one transaction.
 * Declarations live in the database, so every process (projector, ingest, citizen API) sees the
 * ones the others made; this process remembers those it has seen.
 */
import type { ClientSession, MongoClient } from 'mongodb';
import type { CollectionIndex } from '../port.ts';
import { inTransaction } from './client.ts';
import type { ReadCollections } from './commit.ts';
import type { IndexEntry } from './documents.ts';
import { declarationKey, indexEntries, toDeclaration } from './documents.ts';

const BACKFILL_PAGE = 1_000;

/** The requested declarations, deduplicated; a field declared with two sort fields is refused. */
const requested = (indexes: readonly CollectionIndex[]): Map<string, CollectionIndex> => {
  const byKey = new Map<string, CollectionIndex>();
  for (const index of indexes) {
    if (index.collection === '' || index.field === '' || index.sortBy === '') {
      throw new RangeError('an index needs a collection, a field and a sortBy');
    }
    const key = declarationKey(index.collection, index.field);
    const previous = byKey.get(key);
    if (previous !== undefined && previous.sortBy !== index.sortBy) {
      throw new RangeError(`${index.collection}.${index.field} is declared with two sort fields`);
    }
    byKey.set(key, { collection: index.collection, field: index.field, sortBy: index.sortBy });
  }
  return byKey;
};

export class Declarations {
  readonly #client: MongoClient;
  readonly #collections: ReadCollections;
  readonly #known = new Map<string, CollectionIndex>();

  constructor(client: MongoClient, collections: ReadCollections) {
    this.#client = client;
    this.#collections = collections;
  }

  /** The declaration `find` uses, or undefined when (collection, field) was never declared. */
  async declared(collection: string, field: string): Promise<CollectionIndex | undefined> {
    const key = declarationKey(collection, field);
    const known = this.#known.get(key);
    if (known !== undefined) return known;
    const record = await this.#collections.declarations.findOne({ _id: key });
    if (record === null) return undefined;
    const declaration = toDeclaration(record);
    this.#known.set(key, declaration);
    return declaration;
  }

  async declare(indexes: readonly CollectionIndex[]): Promise<void> {
    const wanted = requested(indexes);
    if (wanted.size === 0) return;
    await inTransaction(this.#client, async (session) => {
      const existing = await this.#collections.declarations
        .find({ _id: { $in: [...wanted.keys()] } }, { session })
        .toArray();
      const current = new Map(existing.map((record) => [record._id, record.sortBy]));
      const changes = [...wanted].filter(([key, index]) => current.get(key) !== index.sortBy);
      for (const [key, index] of changes) {
        await this.#collections.declarations.replaceOne(
          { _id: key },
          { c: index.collection, f: index.field, sortBy: index.sortBy },
          { session, upsert: true },
        );
        await this.#collections.index.deleteMany({ c: index.collection, f: index.field }, { session });
        await this.#backfill(index, session);
      }
    });
    for (const [key, index] of wanted) this.#known.set(key, index);
  }

  async #backfill(index: CollectionIndex, session: ClientSession): Promise<void> {
    let after = '';
    for (;;) {
      const page = await this.#collections.documents
        .find({ c: index.collection, i: { $gt: after } }, { session })
        .sort({ i: 1 })
        .limit(BACKFILL_PAGE)
        .toArray();
      const entries: IndexEntry[] = page.flatMap((record) =>
        indexEntries([index], record.i, JSON.parse(record.body) as unknown),
      );
      if (entries.length > 0) await this.#collections.index.insertMany(entries, { session, ordered: false });
      const last = page.at(-1);
      if (last === undefined || page.length < BACKFILL_PAGE) return;
      after = last.i;
    }
  }
}
