export * from './config.ts';
export * from './logger.ts';
export * from './http.ts';
export * from './dev-tokens.ts';
export * from './engines.ts';
export * from './ids.ts';
