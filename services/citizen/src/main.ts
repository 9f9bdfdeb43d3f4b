import { createLogger, describeConfig, loadConfig, openEngines } from '@nexo/runtime';
import { build } from './app.ts';

const config = loadConfig();
const logger = createLogger({ level: config.logLevel, name: 'nexo-citizen' });
logger.info({ config: describeConfig(config) }, 'starting citizen API');
const engines = await openEngines(config);
const app = await build({ readStore: engines.readStore, logger });
await app.listen({ host: config.host, port: config.port });
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(
    signal,
    () =>
      void app
        .close()
        .then(() => engines.close())
        .then(() => process.exit(0)),
  );
}
