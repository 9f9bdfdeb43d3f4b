import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { createDocumentValidator } from '@nexo/fhir';
import {
  installFhirEdge,
  newId,
  openEngines,
  type Engines,
  type Logger,
  type NexoConfig,
} from '@nexo/runtime';
import type { Subscription } from '@nexo/eventstore';
import { identityFeedRoutes, ingestRoutes } from '@nexo/ingest';
import { citizenRoutes } from '@nexo/citizen';
import { startProjector } from '@nexo/projector';

export interface Hub {
  readonly app: FastifyInstance;
  readonly engines: Engines;
  readonly projector: Subscription;
  /** Stops taking requests, lets in-flight ones finish, then stops the projector and the engines. */
  close(): Promise<void>;
}

/**
 * Ingest, projector and citizen API in one process on one port, on the engines the
 * configuration names (embedded SQLite by default). The app is ready but not listening.
 */
export const createHub = async (
  config: Pick<NexoConfig, 'dataDir' | 'bodyLimit' | 'identityFeedToken'>,
  deps: { readonly logger: Logger; readonly clock?: () => Date },
): Promise<Hub> => {
  const engines = await openEngines(config);
  const validator = createDocumentValidator();
  const clock = deps.clock ?? (() => new Date());
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: config.bodyLimit,
    genReqId: () => newId(),
  });
  installFhirEdge(app);
  await app.register(
    ingestRoutes({
      store: engines.store,
      readStore: engines.readStore,
      validator,
      clock,
      newId,
    }),
  );
  await app.register(
    identityFeedRoutes({
      store: engines.store,
      readStore: engines.readStore,
      clock,
      newId,
      feedToken: config.identityFeedToken,
    }),
  );
  await app.register(citizenRoutes({ readStore: engines.readStore }));
  const projector = await startProjector({ bus: engines.bus, readStore: engines.readStore });
  let closing: Promise<void> | undefined;
  return {
    app,
    engines,
    projector,
    close: () =>
      (closing ??= (async () => {
        await app.close();
        await projector.stop();
        await engines.close();
      })()),
  };
};
