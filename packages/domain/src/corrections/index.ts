export * from './correction-events.ts';
export * from './business-days.ts';
export * from './decide-correction.ts';
export * from './correction-view.ts';
export * from './correction-envelope.ts';
export * from './correction-claims.ts';
