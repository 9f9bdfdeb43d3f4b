export * from './reader-pool.ts';
export * from './memory-map.ts';
