/**
 * `pnpm replay`: rebuilds every read model from the event log, with a progress bar on stderr, then
 * resolves the projector's dead letters whose events it applied and says how many it resolved and
 * how many remain (replay.ts). Run it with the hub stopped; it clears the read models first and
 * ends where the log ends. Exit status 0 when the replay finished, 1 when it stopped before its end
 * (then no dead letter is resolved), 2 when it did not start: a wrong variable, a data folder with
 * no event log, or a hub running on it.
 */
import { PROJECTOR_GROUP } from '@nexo/domain';
import {
  createLogger,
  describeConfig,
  exitUnlessEventLog,
  loadConfigOrExit,
  openEngines,
  runningHubs,
  USAGE_ERROR,
} from '@nexo/runtime';
import { errorLabel } from './dead-letters.ts';
import { replayReadModels } from './replay.ts';

const config = loadConfigOrExit();
exitUnlessEventLog(config);
const logger = createLogger({ level: config.logLevel, name: 'nexo-replay' });
// The rebuild clears the read models first: a hub projecting into them meanwhile would lose its
// records from them. Embedded engines only: their files are in the data folder.
const hubs = config.readEngine === 'sqlite' ? runningHubs(config.dataDir) : [];
if (hubs.length > 0) {
  process.stderr.write(
    `a hub is running on ${config.dataDir} (process ${hubs.join(', ')}): stop it, then run pnpm replay again.\n`,
  );
  process.exit(USAGE_ERROR);
}
logger.info({ config: describeConfig(config) }, 'rebuilding read models from the log');
// A replay only rebuilds: the read store commits on its writer thread while the next events are projected.
const engines = await openEngines(config, { rebuild: true });
const started = performance.now();
const bar = (done: number, total: number): string => {
  const width = 30;
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`;
};
try {
  const result = await replayReadModels(engines, {
    onProgress: (p) => process.stderr.write(`\rreplay ${bar(p.position, p.head)} events ${p.events}`),
  });
  const seconds = (performance.now() - started) / 1000;
  process.stderr.write('\n');
  logger.info(
    {
      events: result.events,
      seconds: Number(seconds.toFixed(2)),
      eventsPerSecond: Math.round(result.events / Math.max(seconds, 1e-9)),
      deadLetters: { resolved: result.resolved, remaining: result.remaining },
    },
    'replay finished',
  );
  const still = result.stillFailing.length;
  const why = still > 0 ? `${still} still fail${still === 1 ? 's' : ''} to apply; ` : '';
  process.stderr.write(
    `dead letters of ${PROJECTOR_GROUP}: ${result.resolved} resolved, ${result.remaining} remain` +
      (result.remaining > 0 ? ` (${why}\`pnpm dead-letters\` lists them)` : '') +
      '\n',
  );
} catch (error) {
  process.stderr.write('\n');
  // The error's code or class only: a projection error's message may quote the event's data.
  logger.error(
    { error: errorLabel(error) },
    'replay stopped before its end, no dead letter resolved: run it again (a projector start also rebuilds read models a replay left unfinished)',
  );
  process.exitCode = 1;
} finally {
  await engines.close();
}
