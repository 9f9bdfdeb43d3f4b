import {
  closeOnSignals,
  createLogger,
  describeConfig,
  exitUnlessDataFolderWritable,
  freeDiskBytes,
  isDiskFullFailure,
  loadConfigOrExit,
  noteRunningHub,
  withPortChosen,
} from '@nexo/runtime';
import { createHub, type Hub } from './hub.ts';
import { startBanner } from './demo/banner.ts';
import { demoLoaded, demoToLoad, isEmptyDataDir, seedDemo } from './demo/seed.ts';

const config = await withPortChosen(loadConfigOrExit());
const logger = createLogger({ level: config.logLevel, name: 'nexo-hub' });
logger.info({ config: describeConfig(config) }, 'starting Nexo (all-in-one, embedded engines)');
const development = config.authMode === 'development';
exitUnlessDataFolderWritable(config.dataDir, logger);

/**
 * A hub whose disk is full still starts when its files are there to read: it serves reads, answers
 * writes 503 and is not ready (`disk space`). What cannot start on a full disk (SQLite finds no room
 * for a log's WAL index, a first start has no room for its files) ends here, with one line that
 * names the cause and no stack: restarting will not help until space is freed, and nothing
 * accepted is lost meanwhile.
 */
const exitIfDiskFull = async (error: unknown): Promise<void> => {
  if (!(await isDiskFullFailure(error, config.dataDir, config.minFreeDiskMb))) return;
  const code = (error as { code?: unknown }).code;
  const freeMb = await freeDiskBytes(config.dataDir).then(
    (bytes) => Math.floor(bytes / 1_048_576),
    () => undefined,
  );
  logger.fatal(
    { code, dataDir: config.dataDir, freeMb },
    'cannot start: the disk of the data folder (NEXO_DATA_DIR) is full; free space there and start again',
  );
  process.exit(1);
};

let hub: Hub;
let demoDate: Date | undefined;
let running: (() => void) | undefined;
try {
  // A first start in development mode gets a small demo, submitted through the real ingest route
  // once the hub listens; noted in the data folder first, so that an unfinished load resumes.
  demoDate = development ? demoToLoad(config.dataDir, isEmptyDataDir(config.dataDir), new Date()) : undefined;
  // Once the demo decision is made (it looks at an empty folder): `pnpm replay` refuses to clear
  // the read models under a running hub, the start-up rebuild included (running-hubs.ts).
  running = noteRunningHub(config.dataDir);
  // The launcher runs the projector on its own thread: ingest keeps the main event loop to itself.
  hub = await createHub(config, { logger, projectorThread: true });
  await hub.app.listen({ host: config.host, port: config.port });
} catch (error) {
  await exitIfDiskFull(error);
  throw error;
}
// Said once started: a start that fails on a full disk says only why it failed.
if (running === undefined)
  logger.warn('could not note this hub under run/ in the data folder: pnpm replay cannot tell it runs');
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

closeOnSignals(logger, [() => hub.close(), async () => running?.()]);
