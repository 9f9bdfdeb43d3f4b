export * from './identity-events.ts';
export * from './person.ts';
export * from './decide-identity.ts';
export * from './apply-identity.ts';
