/**
 * The read store's MongoDB collections and indexes, read from `infra/mongodb/indexes.json` and
 * applied idempotently at start-up (an identical existing index is left as it is).
 */
import { readFileSync } from 'node:fs';
import type { Db } from 'mongodb';

interface IndexDefinition {
  readonly name: string;
  readonly key: Readonly<Record<string, 1 | -1>>;
  readonly unique: boolean;
}

export const MONGODB_INDEX_FILE = new URL('../../../../infra/mongodb/indexes.json', import.meta.url);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const asIndex = (value: unknown, where: string): IndexDefinition => {
  if (!isRecord(value) || typeof value.name !== 'string' || !isRecord(value.key)) {
    throw new TypeError(`${where}: an index needs a name and a key object`);
  }
  const key: Record<string, 1 | -1> = {};
  for (const [field, direction] of Object.entries(value.key)) {
    if (direction !== 1 && direction !== -1)
      throw new TypeError(`${where}.${value.name}: ${field} must be 1 or -1`);
    key[field] = direction;
  }
  return { name: value.name, key, unique: value.unique === true };
};

export const loadReadStoreIndexes = (
  file: URL = MONGODB_INDEX_FILE,
): ReadonlyMap<string, IndexDefinition[]> => {
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const collections = isRecord(parsed) ? parsed.readstore : undefined;
  if (!isRecord(collections)) throw new TypeError(`${file.pathname} has no "readstore" section`);
  return new Map(
    Object.entries(collections).map(([name, indexes]) => {
      if (!Array.isArray(indexes)) throw new TypeError(`readstore.${name} must be a list of indexes`);
      return [name, indexes.map((index) => asIndex(index, `readstore.${name}`))];
    }),
  );
};

/** Creates every collection and index that is missing. */
export const applyReadStoreIndexes = async (db: Db, file?: URL): Promise<void> => {
  const definitions = loadReadStoreIndexes(file);
  const existing = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
  for (const [collection, indexes] of definitions) {
    if (!existing.has(collection)) {
      try {
        await db.createCollection(collection);
      } catch (error) {
        if ((error as { code?: unknown }).code !== 48) throw error;
      }
    }
    if (indexes.length > 0) {
      await db
        .collection(collection)
        .createIndexes(
          indexes.map((index) => ({ name: index.name, key: { ...index.key }, unique: index.unique })),
        );
    }
  }
};
