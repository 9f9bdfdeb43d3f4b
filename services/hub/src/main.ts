import { createLogger, describeConfig, loadConfig, closeOnSignals } from '@nexo/runtime';
import { createHub } from './hub.ts';
import { startBanner } from './demo/banner.ts';
import { demoLoaded, demoToLoad, isEmptyDataDir, seedDemo } from './demo/seed.ts';

const config = loadConfig();
const logger = createLogger({ level: config.logLevel, name: 'nexo-hub' });
logger.info({ config: describeConfig(config) }, 'starting Nexo (all-in-one, embedded engines)');
const development = config.authMode === 'development';
// A first start in development mode gets a small demo, submitted through the real ingest route
// once the hub listens; noted in the data folder first, so that an unfinished load resumes.
const demoDate = development
  ? demoToLoad(config.dataDir, isEmptyDataDir(config.dataDir), new Date())
  : undefined;
// The launcher runs the projector on its own thread: ingest keeps the main event loop to itself.
const hub = await createHub(config, { logger, projectorThread: true });
await hub.app.listen({ host: config.host, port: config.port });
logger.info(
  `Nexo listening on http://${config.host}:${config.port} (FHIR base /fhir/r4, citizen API /citizen/v1)`,
);
const seeded = demoDate === undefined ? undefined : await seedDemo(hub.app, demoDate);
if (seeded !== undefined) {
  demoLoaded(config.dataDir);
  await hub.projector.caughtUp();
}
process.stdout.write(
  startBanner({ url: config.publicUrl, development, ...(seeded === undefined ? {} : { seeded }) }),
);

closeOnSignals(logger, [() => hub.close()]);
