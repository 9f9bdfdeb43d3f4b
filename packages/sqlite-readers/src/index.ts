export * from './reader-pool.ts';
export * from './read-routing.ts';
export * from './request-thread.ts';
export * from './memory-map.ts';
export * from './thread-argv.ts';
