/**
 * The hub (`services/hub/src/main.ts`) and the bare fastify ceiling as child processes. All load
 * comes from one client address and a few principals, so the hub's rate limits (per address, per
 * sender or citizen) are raised to their maximum: the limiters still run on every request, they
 * just never refuse one.
 */
import { startChildServer, type ChildServer } from './child-server.ts';
import { BENCH_PUBLIC_URL } from './citizen-tokens.ts';

export const startHub = (dataDir: string, cpuProfileDir?: string): Promise<ChildServer> =>
  startChildServer({
    entry: 'services/hub/src/main.ts',
    name: 'hub',
    env: {
      NEXO_DATA_DIR: dataDir,
      NEXO_PUBLIC_URL: BENCH_PUBLIC_URL,
      NEXO_RATE_LIMIT: '1000000',
      NEXO_ADDRESS_RATE_LIMIT: '10000000',
    },
    ...(cpuProfileDir === undefined ? {} : { cpuProfileDir }),
  });

export const startCeiling = (): Promise<ChildServer> =>
  startChildServer({ entry: 'packages/bench/src/ceiling-server.ts', name: 'bare fastify' });
