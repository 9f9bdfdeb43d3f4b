/**
 * `pnpm replay`: rebuilds every read model from the event log, with a progress bar on stderr.
 * Run it with the hub stopped; it clears the read models first and ends where the log ends.
 */
import { createLogger, describeConfig, loadConfig, openEngines } from '@nexo/runtime';
import { rebuildReadModels } from './rebuild.ts';

const config = loadConfig();
const logger = createLogger({ level: config.logLevel, name: 'nexo-replay' });
logger.info({ config: describeConfig(config) }, 'rebuilding read models from the log');
const engines = await openEngines(config);
const started = performance.now();
const bar = (done: number, total: number): string => {
  const width = 30;
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`;
};
const result = await rebuildReadModels(engines.store, engines.readStore, {
  onProgress: (p) => process.stderr.write(`\rreplay ${bar(p.position, p.head)} events ${p.events}`),
});
const seconds = (performance.now() - started) / 1000;
process.stderr.write('\n');
logger.info(
  {
    events: result.events,
    seconds: Number(seconds.toFixed(2)),
    eventsPerSecond: Math.round(result.events / Math.max(seconds, 1e-9)),
  },
  'replay finished',
);
await engines.close();
