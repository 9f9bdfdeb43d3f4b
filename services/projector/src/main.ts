import { createLogger, describeConfig, loadConfig, openEngines } from '@nexo/runtime';
import { startProjector } from './projector.ts';

const config = loadConfig();
const logger = createLogger({ level: config.logLevel, name: 'nexo-projector' });
logger.info({ config: describeConfig(config) }, 'starting projector');
const engines = await openEngines(config);
const subscription = await startProjector({ bus: engines.bus, readStore: engines.readStore });
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(
    signal,
    () =>
      void subscription
        .stop()
        .then(() => engines.close())
        .then(() => process.exit(0)),
  );
}
