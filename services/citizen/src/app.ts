import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import {
  EDGE_SERVER_OPTIONS,
  healthRoutes,
  installFhirEdge,
  newId,
  type Logger,
  type NexoConfig,
} from '@nexo/runtime';
import { citizenRoutes, type CitizenDeps } from './routes.ts';
import { citizenServiceRoutes, type CitizenServiceDeps } from './citizen-services.ts';
import type { Security } from '@nexo/auth';

/** The citizen API as a fastify instance that never listens (tests inject into it). */
export const build = async (
  config: Pick<NexoConfig, 'bodyLimit'>,
  deps: Omit<CitizenDeps, 'auth'> &
    Omit<CitizenServiceDeps, 'auth' | 'newId'> & { readonly logger: Logger; readonly security: Security },
): Promise<FastifyInstance> => {
  const app = Fastify({
    ...EDGE_SERVER_OPTIONS,
    ...deps.security.serverOptions,
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: config.bodyLimit,
    genReqId: () => newId(),
  });
  installFhirEdge(app);
  await deps.security.install(app);
  await app.register(citizenRoutes({ ...deps, auth: deps.security.auth }));
  await app.register(citizenServiceRoutes({ ...deps, newId, auth: deps.security.auth }));
  await app.register(
    healthRoutes([{ name: 'read models', probe: () => deps.readStore.getCheckpoint('health') }]),
  );
  return app;
};
