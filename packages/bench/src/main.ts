/**
 * `pnpm bench`: measures Nexo on this machine against the targets of issue 9 and prints a table.
 * Every server runs in a child process; the load generators run here. See README "Benchmarks".
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCitizenPhase } from './citizen-phase.ts';
import { runCeiling, runIngestPhase } from './ingest-phase.ts';
import { runLargePhase } from './large-phase.ts';
import { USAGE, parseOptions } from './options.ts';
import { log } from './progress.ts';
import { runReplay } from './replay.ts';
import { answerNotes, buildRows, formatTable } from './report.ts';
import { measureReferenceWork } from './reference-work.ts';
import { prebuiltSubmissions } from './requests.ts';

/** Documents generated ahead of the runs: enough for the ceiling, the hub and the fixed-rate run. */
const DOCUMENTS_PER_SECOND = 9_000;

const parsed = parseOptions(process.argv.slice(2));
if (parsed === 'help') {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const options = parsed;
const root = mkdtempSync(join(tmpdir(), 'nexo-bench-'));
const started = performance.now();
log(`Nexo bench: ${JSON.stringify(options)}\ndata under ${root}`);
try {
  const { parts } = options;
  const referenceBefore = measureReferenceWork(options.seed + 5);
  const documents = Math.round(options.durationSeconds * (DOCUMENTS_PER_SECOND + options.ingestRate)) + 4_000;
  const needsDocuments = parts.has('ceiling') || parts.has('ingest') || parts.has('large');
  const submissions = needsDocuments
    ? prebuiltSubmissions({ seed: options.seed, citizens: 20_000, establishments: 200 }, documents)
    : undefined;
  const next =
    submissions?.next ??
    (() => {
      throw new Error('no documents were generated');
    });
  const ingestDir = join(root, 'ingest');
  const ceiling = parts.has('ceiling') ? await runCeiling(options, next) : undefined;
  const ingest = parts.has('ingest')
    ? await runIngestPhase(ingestDir, options, next, options.profile ? join(root, 'profile') : undefined)
    : undefined;
  if (ingest && parts.has('replay')) log(`replay: rebuilding the read models of ${ingest.events} events`);
  const replay = ingest && parts.has('replay') ? await runReplay(ingestDir) : undefined;
  const citizens = parts.has('citizens')
    ? await runCitizenPhase(
        join(root, 'citizens'),
        options,
        options.profile ? join(root, 'profile-citizens') : undefined,
      )
    : undefined;
  const large = parts.has('large') ? await runLargePhase(root, options, next) : undefined;
  const reference = { before: referenceBefore, after: measureReferenceWork(options.seed + 5) };
  const results = { reference, ceiling, ingest, replay, citizens, large };
  const flags = process.argv.slice(2).join(' ') || '(defaults)';
  process.stdout.write(
    `\nNexo bench — ${flags} — ${options.durationSeconds} s per run, node ${process.version}, ` +
      `${cpus().length} cores, ${((performance.now() - started) / 1000).toFixed(0)} s in all\n\n`,
  );
  process.stdout.write(`${formatTable(buildRows(options, results))}\n\n${answerNotes(results).join('\n')}\n`);
} finally {
  if (options.keep) log(`kept ${root}`);
  else rmSync(root, { recursive: true, force: true });
}
