export * from './events.ts';
export * from './submission.ts';
export * from './submission-keys.ts';
export * from './citizen-records.ts';
export * from './citizen-views.ts';
export * from './record-index.ts';
export * from './collections.ts';
