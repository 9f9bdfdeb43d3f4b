export * from './reader-pool.ts';
