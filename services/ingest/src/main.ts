import { createDocumentValidator } from '@nexo/fhir';
import {
  createLogger,
  describeConfig,
  loadConfigOrExit,
  newId,
  openEngines,
  closeOnSignals,
} from '@nexo/runtime';
import { openSecurity } from '@nexo/auth';
import { build } from './app.ts';

const config = loadConfigOrExit();
const logger = createLogger({ level: config.logLevel, name: 'nexo-ingest' });
logger.info({ config: describeConfig(config) }, 'starting ingest');
const engines = await openEngines(config);
const security = await openSecurity(config, { store: engines.store, newId });
const app = await build(config, {
  store: engines.store,
  readStore: engines.readStore,
  validator: createDocumentValidator(),
  clock: () => new Date(),
  newId,
  logger,
  security,
});
await app.listen({ host: config.host, port: config.port });
closeOnSignals(logger, [() => app.close(), () => security.close(), () => engines.close()]);
