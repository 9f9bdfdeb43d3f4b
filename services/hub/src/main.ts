import { createLogger, describeConfig, loadConfig } from '@nexo/runtime';
import { createHub } from './hub.ts';

const config = loadConfig();
const logger = createLogger({ level: config.logLevel, name: 'nexo-hub' });
logger.info({ config: describeConfig(config) }, 'starting Nexo (all-in-one, embedded engines)');
const hub = await createHub(config, { logger });
await hub.app.listen({ host: config.host, port: config.port });
logger.info(
  `Nexo listening on http://${config.host}:${config.port} (FHIR base /fhir/r4, citizen API /citizen/v1)`,
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    hub.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
