export * from './port.ts';
export { openSqliteReadStore } from './sqlite/read-store.ts';
export type { SqliteReadStore, SqliteReadStoreOptions } from './sqlite/read-store.ts';
export { openMongoReadStore } from './mongodb/read-store.ts';
export type { MongoReadStoreOptions } from './mongodb/read-store.ts';
export { soleWriterCache } from './sole-writer-cache.ts';
export type { SoleWriterCache, SoleWriterCacheOptions } from './sole-writer-cache.ts';
export { READ_MODELS_WAIT_MS, readCaughtUp, waitForReadModels } from './caught-up.ts';
export type { ReadModelsCaughtUp } from './caught-up.ts';
