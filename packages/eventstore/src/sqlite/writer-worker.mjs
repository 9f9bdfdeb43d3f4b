// Entry of the event log's writer thread. Nexo runs its TypeScript through tsx, whose loader a new
// thread does not inherit on Node 20: it is registered here before the thread's TypeScript body loads.
const { register } = await import('tsx/esm/api');
register();
await import('./writer-worker.ts');
