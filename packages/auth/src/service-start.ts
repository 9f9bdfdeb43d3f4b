/**
 * How a standalone HTTP service of the distributed mode starts (the ingest service, the citizen
 * API): its configuration, logger, data folder, engines and security, then its app, listening,
 * and the order it stops in. The hub starts its own way (services/hub/src/main.ts): it also runs
 * the projector, the demo and the running-hub note.
 */
import type { FastifyInstance } from 'fastify';
import {
  closeOnSignals,
  createLogger,
  describeConfig,
  exitUnlessDataFolderWritable,
  loadConfigOrExit,
  newId,
  openEngines,
  type Engines,
  type NexoConfig,
} from '@nexo/runtime';
import { openSecurity, type Security } from './security.ts';

export interface StartingService {
  readonly config: NexoConfig;
  readonly engines: Engines;
  readonly security: Security;
  readonly logger: ReturnType<typeof createLogger>;
}

export const startSecuredService = async (
  service: { readonly name: string; readonly title: string },
  build: (starting: StartingService) => Promise<FastifyInstance>,
): Promise<void> => {
  const config = loadConfigOrExit();
  const logger = createLogger({ level: config.logLevel, name: service.name });
  logger.info({ config: describeConfig(config) }, `starting ${service.title}`);
  // Keys and the audit log live in the data folder whatever the engines.
  exitUnlessDataFolderWritable(config.dataDir, logger);
  const engines = await openEngines(config);
  const security = await openSecurity(config, { store: engines.store, newId });
  const app = await build({ config, engines, security, logger });
  await app.listen({ host: config.host, port: config.port });
  closeOnSignals(logger, [() => app.close(), () => security.close(), () => engines.close()]);
};
