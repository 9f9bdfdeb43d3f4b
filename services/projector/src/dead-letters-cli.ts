/**
 * `pnpm dead-letters [--group <name>]`: lists a consumer group's dead letters (default: the
 * projector's) without personal data (dead-letters.ts). It opens the engines `pnpm replay` opens,
 * from the same environment (`NEXO_DATA_DIR`, `NEXO_BUS_ENGINE`, `KAFKA_BROKERS`, …); it only
 * reads, so the hub may be running. Exit status 0 when listed (none or some), 1 when the engines
 * cannot be read, 2 on a usage error.
 */
import { exitUnlessEventLog, loadConfigOrExit, openEngines } from '@nexo/runtime';
import { DEAD_LETTERS_USAGE, errorLabel, listDeadLetters, parseDeadLettersArgs } from './dead-letters.ts';

const args = parseDeadLettersArgs(process.argv.slice(2));
if (!args.ok) {
  console.error(`${args.problem}\n${DEAD_LETTERS_USAGE}`);
  process.exit(2);
}
const config = loadConfigOrExit();
exitUnlessEventLog(config);
try {
  const engines = await openEngines(config);
  try {
    process.stdout.write(await listDeadLetters(engines, args.group));
  } finally {
    await engines.close();
  }
} catch (error) {
  console.error(`cannot list dead letters: ${errorLabel(error)}`);
  process.exitCode = 1;
}
