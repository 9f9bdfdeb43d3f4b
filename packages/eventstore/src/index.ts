export * from './port.ts';
export { openSqliteEventStore } from './sqlite/engine.ts';
export type { SqliteEventEngine, SqliteEventStoreOptions } from './sqlite/engine.ts';
