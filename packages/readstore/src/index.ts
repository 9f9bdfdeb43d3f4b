export * from './port.ts';
export { openSqliteReadStore } from './sqlite/read-store.ts';
export type { SqliteReadStoreOptions } from './sqlite/read-store.ts';
