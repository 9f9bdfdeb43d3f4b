import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { installFhirEdge, newId, type Logger } from '@nexo/runtime';
import { citizenRoutes, type CitizenDeps } from './routes.ts';

/** The citizen API as a fastify instance that never listens (tests inject into it). */
export const build = async (deps: CitizenDeps & { readonly logger: Logger }): Promise<FastifyInstance> => {
  const app = Fastify({ loggerInstance: deps.logger as FastifyBaseLogger, genReqId: () => newId() });
  installFhirEdge(app);
  await app.register(citizenRoutes(deps));
  return app;
};
