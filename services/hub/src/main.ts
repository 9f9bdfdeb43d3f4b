import { createLogger, describeConfig, loadConfig, closeOnSignals } from '@nexo/runtime';
import { createHub } from './hub.ts';
import { startBanner } from './demo/banner.ts';
import { isEmptyDataDir, seedDemo } from './demo/seed.ts';

const config = loadConfig();
const logger = createLogger({ level: config.logLevel, name: 'nexo-hub' });
logger.info({ config: describeConfig(config) }, 'starting Nexo (all-in-one, embedded engines)');
const firstStart = isEmptyDataDir(config.dataDir);
// The launcher runs the projector on its own thread: ingest keeps the main event loop to itself.
const hub = await createHub(config, { logger, projectorThread: true });
await hub.app.listen({ host: config.host, port: config.port });
logger.info(
  `Nexo listening on http://${config.host}:${config.port} (FHIR base /fhir/r4, citizen API /citizen/v1)`,
);
const development = config.authMode === 'development';
// A first start in development mode gets a small demo, submitted through the real ingest route.
const seeded = firstStart && development ? await seedDemo(hub.app, new Date()) : undefined;
if (seeded !== undefined) await hub.projector.caughtUp();
process.stdout.write(
  startBanner({ url: config.publicUrl, development, ...(seeded === undefined ? {} : { seeded }) }),
);

closeOnSignals(logger, [() => hub.close()]);
