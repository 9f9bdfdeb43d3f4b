import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { PROJECTOR_GROUP } from '@nexo/domain';
import { healthRoutes, type Engines } from '@nexo/runtime';
import type { HubMetrics } from './metrics.ts';
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

/**
 * What operating the hub needs, installed before the API routes: Swagger UI at `/docs`, the
 * metrics hooks and `/metrics`, `/health` and `/ready` (event store and read models answer, the
 * projector runs).
 */
export const installOperability = async (
  app: FastifyInstance,
  deps: { readonly engines: Engines; readonly metrics: HubMetrics; readonly projector: ProjectorState },
): Promise<void> => {
  const { engines, metrics, projector } = deps;
  await serveOpenApi(app);
  metrics.install(app, engines);
  await app.register(
    healthRoutes([
      { name: 'event store', probe: () => engines.store.headPosition() },
      { name: 'read models', probe: () => engines.readStore.getCheckpoint(PROJECTOR_GROUP) },
      {
        name: 'projector',
        probe: () => {
          if (!projector.running) throw new Error('the projector is not running');
        },
      },
    ]),
  );
};
