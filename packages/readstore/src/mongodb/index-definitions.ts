import type { Db } from 'mongodb';
import { applyMongoIndexes, loadMongoIndexes } from '@nexo/mongo';

/** Creates the read store's collections and indexes (`readstore` in infra/mongodb/indexes.json) when missing. */
export const applyReadStoreIndexes = (db: Db, file?: URL): Promise<void> =>
  applyMongoIndexes(db, loadMongoIndexes('readstore', file));
