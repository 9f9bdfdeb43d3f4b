import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { PROJECTOR_GROUP } from '@nexo/domain';
import {
  DISK_SPACE_DEFAULTS,
  diskSpaceCheck,
  healthRoutes,
  type Engines,
  type NexoConfig,
  type ReadinessWarning,
} from '@nexo/runtime';
import { HUB_CONSUMER_GROUPS, type HubMetrics } from './metrics.ts';
import { collectOpenApi, serveOpenApi } from './openapi.ts';

const PACKAGE = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

/** Whether the projector is following the log: set once it has started, cleared when it stops. */
export interface ProjectorState {
  running: boolean;
}

/** The OpenAPI collector: call right after `installFhirEdge`, before any route is added. */
export const collectApiDescription = (app: FastifyInstance): Promise<void> =>
  collectOpenApi(app, PACKAGE.version);

/** Where the hub keeps its files, and how much room `/ready` asks of their disk. */
export type OperabilityConfig = Pick<NexoConfig, 'dataDir'> & Partial<Pick<NexoConfig, 'minFreeDiskMb'>>;

/**
 * Dead letters are a warning, not a failed check. Each is an accepted record some read model
 * lacks, but the hub still serves everything else, and a failing `/ready` would take the node out
 * of its load balancer for a condition that neither that nor a restart mends (the read models
 * lack those records until someone fixes the cause and replays). So `/ready` stays 200 and says it:
 * `status: "warn"`, the count under `warnings`; `nexo_dead_letters` is the figure to alert on.
 */
const deadLetterWarning = (engines: Engines): ReadinessWarning => ({
  name: 'dead letters',
  inspect: async () => {
    const counts = await Promise.all(
      HUB_CONSUMER_GROUPS.map(async (group) => ({ group, count: await engines.deadLetterCount(group) })),
    );
    const raised = counts.filter(({ count }) => count > 0);
    if (raised.length === 0) return undefined;
    const each = raised.map(
      ({ group, count }) => `consumer group ${group} gave up on ${count} event${count === 1 ? '' : 's'}`,
    );
    return `${each.join('; ')}: accepted records missing from its read models (docs/operations.md#dead-letters).`;
  },
});

/**
 * What operating the hub needs, installed before the API routes: Swagger UI at `/docs`, the
 * metrics hooks and `/metrics`, `/health` and `/ready` (event store and read models answer, the
 * projector runs, the data folder's disk has room; dead letters as a warning).
 */
export const installOperability = async (
  app: FastifyInstance,
  config: OperabilityConfig,
  deps: { readonly engines: Engines; readonly metrics: HubMetrics; readonly projector: ProjectorState },
): Promise<void> => {
  const { engines, metrics, projector } = deps;
  await serveOpenApi(app);
  metrics.install(app, engines, config.dataDir);
  await app.register(
    healthRoutes(
      [
        { name: 'event store', probe: () => engines.store.headPosition() },
        { name: 'read models', probe: () => engines.readStore.getCheckpoint(PROJECTOR_GROUP) },
        {
          name: 'projector',
          probe: () => {
            if (!projector.running) throw new Error('the projector is not running');
          },
        },
        diskSpaceCheck(config.dataDir, config.minFreeDiskMb ?? DISK_SPACE_DEFAULTS.minFreeDiskMb),
      ],
      [deadLetterWarning(engines)],
    ),
  );
};
