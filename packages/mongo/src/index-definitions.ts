/**
 * MongoDB collections and indexes of one engine (a section of `infra/mongodb/indexes.json`)
 * (the one definition operators and the adapter share) and applied idempotently at start-up:
 * creating an index that exists with the same keys and options changes nothing.
 */
import { readFileSync } from 'node:fs';
import type { Db } from 'mongodb';

export interface MongoIndexDefinition {
  readonly name: string;
  readonly key: Readonly<Record<string, 1 | -1>>;
  readonly unique?: boolean;
}

/** Index definitions by collection name; a collection with no index is still created. */
export type MongoCollectionIndexes = ReadonlyMap<string, readonly MongoIndexDefinition[]>;

export const MONGODB_INDEX_FILE = new URL('../../../infra/mongodb/indexes.json', import.meta.url);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const asIndex = (value: unknown, where: string): MongoIndexDefinition => {
  if (!isRecord(value) || typeof value.name !== 'string' || !isRecord(value.key)) {
    throw new TypeError(`${where}: an index needs a name and a key object`);
  }
  const key: Record<string, 1 | -1> = {};
  for (const [field, direction] of Object.entries(value.key)) {
    if (direction !== 1 && direction !== -1)
      throw new TypeError(`${where}.${value.name}: ${field} must be 1 or -1`);
    key[field] = direction;
  }
  if (value.unique !== undefined && typeof value.unique !== 'boolean') {
    throw new TypeError(`${where}.${value.name}: unique must be a boolean`);
  }
  return { name: value.name, key, ...(value.unique === true ? { unique: true } : {}) };
};

/** Reads one section (`eventstore`, `readstore`) of the index file, checking its shape. */
export const loadMongoIndexes = (section: string, file: URL = MONGODB_INDEX_FILE): MongoCollectionIndexes => {
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const collections = isRecord(parsed) ? parsed[section] : undefined;
  if (!isRecord(collections)) throw new TypeError(`${file.pathname} has no "${section}" section`);
  return new Map(
    Object.entries(collections).map(([name, indexes]) => {
      if (!Array.isArray(indexes)) throw new TypeError(`${section}.${name} must be a list of indexes`);
      return [name, indexes.map((index) => asIndex(index, `${section}.${name}`))];
    }),
  );
};

/** Creates every collection and index that is missing; existing identical ones are left as they are. */
export const applyMongoIndexes = async (db: Db, definitions: MongoCollectionIndexes): Promise<void> => {
  const existing = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
  for (const [collection, indexes] of definitions) {
    if (!existing.has(collection)) {
      try {
        await db.createCollection(collection);
      } catch (error) {
        // Another process created it in between (NamespaceExists).
        if ((error as { code?: unknown }).code !== 48) throw error;
      }
    }
    if (indexes.length === 0) continue;
    await db
      .collection(collection)
      .createIndexes(
        indexes.map((index) => ({ name: index.name, key: { ...index.key }, unique: index.unique ?? false })),
      );
  }
};
