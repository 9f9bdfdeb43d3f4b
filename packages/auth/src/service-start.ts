/**
 * How a standalone HTTP service of the distributed mode starts (the ingest service, the citizen
 * API): its configuration, logger, data folder, engines and security, then its app, listening,
 * and the order it stops in. The hub starts its own way (services/hub/src/main.ts): it also runs
 * the projector, the demo and the running-hub note.
 */
import type { FastifyInstance } from 'fastify';
import { closeOnSignals, newId, openService, type OpenedService } from '@nexo/runtime';
import { openSecurity, type Security } from './security.ts';

export interface StartingService extends OpenedService {
  readonly security: Security;
}

export const startSecuredService = async (
  service: { readonly name: string; readonly title: string },
  build: (starting: StartingService) => Promise<FastifyInstance>,
): Promise<void> => {
  // Keys and the audit log live in the data folder whatever the engines.
  const opened = await openService({ ...service, dataFolder: 'always' });
  const { config, logger, engines } = opened;
  const security = await openSecurity(config, { store: engines.store, newId });
  const app = await build({ ...opened, security });
  await app.listen({ host: config.host, port: config.port });
  closeOnSignals(logger, [() => app.close(), () => security.close(), () => engines.close()]);
};
