import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import {
  EDGE_SERVER_OPTIONS,
  healthRoutes,
  installFhirEdge,
  newId,
  type Logger,
  type NexoConfig,
} from '@nexo/runtime';
import { senderRoutes } from './sender-routes.ts';
import { correctionInboxRoutes } from './correction-inbox.ts';
import type { IngestDeps } from './submit-bundle.ts';
import type { Security } from '@nexo/auth';

/** The ingest service as a fastify instance that never listens (tests inject into it). */
export const build = async (
  config: Pick<NexoConfig, 'bodyLimit' | 'identityFeedToken'> & Partial<Pick<NexoConfig, 'publicUrl'>>,
  deps: Omit<IngestDeps, 'registry'> & { readonly logger: Logger; readonly security: Security },
): Promise<FastifyInstance> => {
  const { auth, registrations: registry } = deps.security;
  const app = Fastify({
    ...EDGE_SERVER_OPTIONS,
    ...deps.security.serverOptions,
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: config.bodyLimit,
    genReqId: () => newId(),
  });
  installFhirEdge(app);
  await deps.security.install(app);
  const links = config.publicUrl ? { publicUrl: config.publicUrl } : {};
  await app.register(
    senderRoutes({ ...deps, ...links, auth, registry, feedToken: config.identityFeedToken }),
  );
  await app.register(correctionInboxRoutes({ ...deps, auth }));
  await app.register(
    healthRoutes([
      { name: 'event store', probe: () => deps.store.headPosition() },
      { name: 'read models', probe: () => deps.readStore.getCheckpoint('health') },
    ]),
  );
  return app;
};
