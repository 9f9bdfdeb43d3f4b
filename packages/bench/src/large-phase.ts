/**
 * Throughput as the log grows: the same RIA load against a hub whose log holds 10k events, then
 * one whose log holds `largeEvents` (10M by default), both seeded through the EventStore port.
 */
import { join } from 'node:path';
import { startHub } from './hub-process.ts';
import { figuresOf, type RunFigures } from './ingest-phase.ts';
import { closedLoop, type BenchRequest } from './load.ts';
import type { BenchOptions } from './options.ts';
import { log } from './progress.ts';
import { seedEvents } from './seed-events.ts';

const BASELINE_EVENTS = 10_000;
const WARM_UP_MS = 2_000;

export interface LargeFigures {
  readonly baseline: RunFigures & { readonly stored: number };
  readonly large: RunFigures & { readonly stored: number; readonly seedSeconds: number };
  /** Throughput with the large log over throughput with the small one. */
  readonly ratio: number;
}

const measure = async (
  dataDir: string,
  options: BenchOptions,
  next: () => BenchRequest,
  label: string,
): Promise<RunFigures> => {
  const hub = await startHub(dataDir);
  const common = { url: hub.url, connections: options.connections, next };
  await closedLoop({ ...common, durationMs: WARM_UP_MS, label: 'warm-up' });
  const result = await closedLoop({ ...common, durationMs: options.durationSeconds * 1000, label });
  await hub.stop();
  return figuresOf(result, 201);
};

export const runLargePhase = async (
  root: string,
  options: BenchOptions,
  next: () => BenchRequest,
): Promise<LargeFigures> => {
  log(`log size: ${BASELINE_EVENTS} events stored`);
  const small = join(root, 'log-10k');
  await seedEvents(small, BASELINE_EVENTS, options.seed + 11);
  const baseline = await measure(small, options, next, 'RIA throughput, 10k stored');
  log(`log size: ${options.largeEvents} events stored`);
  const big = join(root, 'log-large');
  const seeded = await seedEvents(big, options.largeEvents, options.seed + 12);
  const large = await measure(big, options, next, `RIA throughput, ${options.largeEvents} stored`);
  return {
    baseline: { ...baseline, stored: BASELINE_EVENTS },
    large: { ...large, stored: options.largeEvents, seedSeconds: seeded.seconds },
    ratio: large.rate / Math.max(baseline.rate, 1e-9),
  };
};
