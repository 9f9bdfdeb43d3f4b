export * from './client.ts';
export * from './index-definitions.ts';
