import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { installFhirEdge, newId, type Logger, type NexoConfig } from '@nexo/runtime';
import { ingestRoutes } from './routes.ts';
import type { IngestDeps } from './submit-bundle.ts';

/** The ingest service as a fastify instance that never listens (tests inject into it). */
export const build = async (
  config: Pick<NexoConfig, 'bodyLimit'>,
  deps: IngestDeps & { readonly logger: Logger },
): Promise<FastifyInstance> => {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: config.bodyLimit,
    genReqId: () => newId(),
  });
  installFhirEdge(app);
  await app.register(ingestRoutes(deps));
  return app;
};
