import { closeOnSignals, newId, openReadModelStore, openService } from '@nexo/runtime';
import { startCorrectionDeadlines } from './correction-deadlines.ts';
import { startProjector } from './projector.ts';

const { config, logger, engines } = await openService({
  name: 'nexo-projector',
  title: 'projector',
  dataFolder: 'embedded engines',
});
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
