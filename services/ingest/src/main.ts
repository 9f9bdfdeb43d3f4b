import { createDocumentValidator } from '@nexo/fhir';
import { createLogger, describeConfig, loadConfig, newId, openEngines } from '@nexo/runtime';
import { openSecurity } from '@nexo/auth';
import { build } from './app.ts';

const config = loadConfig();
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
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(
    signal,
    () =>
      void app
        .close()
        .then(() => security.close())
        .then(() => engines.close())
        .then(() => process.exit(0)),
  );
}
