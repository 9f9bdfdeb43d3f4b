import {
  createLogger,
  describeConfig,
  exitUnlessDataFolderWritable,
  loadConfigOrExit,
  newId,
  openEngines,
  openReadModelStore,
  closeOnSignals,
} from '@nexo/runtime';
import { startCorrectionDeadlines } from './correction-deadlines.ts';
import { startProjector } from './projector.ts';

const config = loadConfigOrExit();
const logger = createLogger({ level: config.logLevel, name: 'nexo-projector' });
logger.info({ config: describeConfig(config) }, 'starting projector');
if (config.eventEngine === 'sqlite' || config.readEngine === 'sqlite')
  exitUnlessDataFolderWritable(config.dataDir, logger);
const engines = await openEngines(config);
const subscription = await startProjector({
  bus: engines.bus,
  store: engines.store,
  readStore: engines.readStore,
  deadLetters: engines,
  openRebuildTarget: () => openReadModelStore(config, { rebuild: true }),
  onRebuild: () =>
    logger.warn('the read models miss events of the log (an interrupted replay): rebuilding them first'),
});
const deadlines = startCorrectionDeadlines({
  store: engines.store,
  readStore: engines.readStore,
  clock: () => new Date(),
  newId,
  onError: (err) => logger.error({ err }, 'correction deadline sweep failed'),
});
closeOnSignals(logger, [() => deadlines.stop(), () => subscription.stop(), () => engines.close()]);
