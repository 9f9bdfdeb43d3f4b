/**
 * The hub (`services/hub/src/main.ts`) and the bare fastify ceiling as child processes. All load
 * comes from one client address, so the hub's per-client rate limit is raised to its maximum: the
 * limiter still runs on every request, it just never refuses one.
 */
import { startChildServer, type ChildServer } from './child-server.ts';

export const startHub = (dataDir: string, cpuProfileDir?: string): Promise<ChildServer> =>
  startChildServer({
    entry: 'services/hub/src/main.ts',
    name: 'hub',
    env: { NEXO_DATA_DIR: dataDir, NEXO_RATE_LIMIT: '1000000' },
    ...(cpuProfileDir === undefined ? {} : { cpuProfileDir }),
  });

export const startCeiling = (): Promise<ChildServer> =>
  startChildServer({ entry: 'packages/bench/src/ceiling-server.ts', name: 'bare fastify' });
