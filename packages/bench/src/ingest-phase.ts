/**
 * The ingest figures: the bare fastify ceiling, Nexo's throughput at fixed concurrency (RIA only,
 * then the full mix), the latency at a fixed rate with the projection lag, and the hub's peak RSS.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createWorkload } from '@nexo/testkit/synthetic';
import {
  formatHotFunctions,
  hotFunctions,
  mainThreadProfile,
  projectTotals,
  type HotFunction,
} from './cpu-profile.ts';
import type { ChildServer, ThreadTimes } from './child-server.ts';
import { startCeiling, startHub } from './hub-process.ts';
import { closedLoop, openLoop, ratePerSecond, type BenchRequest, type LoadResult } from './load.ts';
import type { BenchOptions } from './options.ts';
import { log } from './progress.ts';
import { headPosition, watchProjection } from './projection-lag.ts';
import { liveSubmissions } from './requests.ts';
import { distribution, type Distribution } from './stats.ts';

const WARM_UP_MS = 2_000;
const CATCH_UP_TIMEOUT_MS = 120_000;

export interface RunFigures {
  /** Answers with the expected status per second. */
  readonly rate: number;
  readonly latency: Distribution;
  readonly byStatus: ReadonlyMap<number, number>;
  readonly failures: number;
  /** Server CPU time (all threads) per answered request, in µs, when it was measured. */
  readonly cpuPerRequestUs?: number;
  /** How the server's request thread spent the run's wall clock, when measured. */
  readonly requestThread?: RequestThreadShares;
}

/**
 * Shares (0–1) of a run's wall clock: the request thread on a core, runnable but waiting for one
 * (the cores were busy with other threads or processes, the load generator among them), and the
 * rest, blocked (a synchronous fsync or disk read) or idle for want of work.
 */
export interface RequestThreadShares {
  readonly onCpu: number;
  readonly waitingForCpu: number;
  readonly blockedOrIdle: number;
}

/** The server's CPU time over a run (see ChildServer). */
export interface CpuUsed {
  readonly cpuMs: number | undefined;
  readonly requestThread: ThreadTimes | undefined;
}

export interface IngestFigures {
  readonly throughput: RunFigures;
  readonly mixed: RunFigures & { readonly answered: number };
  readonly fixedRate: RunFigures & { readonly target: number };
  readonly lag: Distribution;
  readonly peakRssBytes: number | undefined;
  readonly events: number;
  readonly hot?: readonly HotFunction[];
}

export const figuresOf = (result: LoadResult, status: number, cpu?: CpuUsed): RunFigures => ({
  rate: ratePerSecond(result, status),
  latency: distribution(result.latenciesMs),
  byStatus: result.byStatus,
  failures: result.failures,
  ...(cpu?.cpuMs === undefined || result.latenciesMs.length === 0
    ? {}
    : { cpuPerRequestUs: (cpu.cpuMs * 1000) / result.latenciesMs.length }),
  ...(cpu?.requestThread === undefined || result.elapsedMs <= 0
    ? {}
    : { requestThread: sharesOf(cpu.requestThread, result.elapsedMs) }),
});

const sharesOf = (times: ThreadTimes, elapsedMs: number): RequestThreadShares => {
  const onCpu = times.onCpuMs / elapsedMs;
  const waitingForCpu = times.waitingForCpuMs / elapsedMs;
  return { onCpu, waitingForCpu, blockedOrIdle: Math.max(0, 1 - onCpu - waitingForCpu) };
};

const spent = (before: number | undefined, after: number | undefined): number | undefined =>
  before === undefined || after === undefined ? undefined : after - before;

const timesSpent = (
  before: ThreadTimes | undefined,
  after: ThreadTimes | undefined,
): ThreadTimes | undefined =>
  before === undefined || after === undefined
    ? undefined
    : {
        onCpuMs: after.onCpuMs - before.onCpuMs,
        waitingForCpuMs: after.waitingForCpuMs - before.waitingForCpuMs,
      };

/** Runs `load` and measures the CPU time the server used meanwhile. */
export const withCpu = async <T>(
  server: ChildServer,
  load: () => Promise<T>,
): Promise<{ result: T; cpu: CpuUsed }> => {
  const before = { all: server.cpuMs(), request: server.requestThreadTimes() };
  const result = await load();
  const cpu = {
    cpuMs: spent(before.all, server.cpuMs()),
    requestThread: timesSpent(before.request, server.requestThreadTimes()),
  };
  return { result, cpu };
};

/** The bare fastify ceiling: the same bodies, the same concurrency, JSON parsed and 201 answered. */
export const runCeiling = async (options: BenchOptions, next: () => BenchRequest): Promise<RunFigures> => {
  log('bare fastify ceiling (same bodies, parse JSON, answer 201)');
  const server = await startCeiling();
  const common = { url: server.url, connections: options.connections, next };
  await closedLoop({ ...common, durationMs: WARM_UP_MS, label: 'warm-up' });
  const ceiling = figuresOf(
    await closedLoop({ ...common, durationMs: options.durationSeconds * 1000, label: 'ceiling' }),
    201,
  );
  await server.stop();
  return ceiling;
};

export const runIngestPhase = async (
  dataDir: string,
  options: BenchOptions,
  next: () => BenchRequest,
  profileDir: string | undefined,
): Promise<IngestFigures> => {
  const durationMs = options.durationSeconds * 1000;
  const { connections } = options;
  log(`hub: ingest at ${connections} in flight${profileDir ? ' (CPU profile on)' : ''}`);
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const hub = await startHub(dataDir, profileDir);
  await closedLoop({ url: hub.url, durationMs: WARM_UP_MS, connections, label: 'warm-up', next });
  const measured = await withCpu(hub, () =>
    closedLoop({ url: hub.url, durationMs, connections, label: 'RIA throughput', next }),
  );
  const throughput = figuresOf(measured.result, 201, measured.cpu);

  const workload = createWorkload({
    seed: options.seed + 7,
    citizens: 5_000,
    establishments: 50,
    mix: { RIA: 6, REL: 3, RDM: 1 },
    invalidShare: 0.05,
    correctionShare: 0.05,
  });
  const live = liveSubmissions(workload);
  const mixedResult = await closedLoop({
    url: hub.url,
    durationMs: durationMs / 2,
    connections,
    label: 'full mix',
    ...live,
  });
  const mixed = {
    ...figuresOf(mixedResult, 201),
    answered: mixedResult.latenciesMs.length / (mixedResult.elapsedMs / 1000),
  };

  const catchUp = await watchProjection(dataDir);
  await catchUp.reach(await headPosition(dataDir), CATCH_UP_TIMEOUT_MS);
  const before = await headPosition(dataDir);
  log(`hub: ${options.ingestRate} bundles/s for ${options.durationSeconds} s (latency, projection lag)`);
  const fixedRun = await withCpu(hub, () =>
    openLoop({
      url: hub.url,
      durationMs,
      connections: 256,
      rate: options.ingestRate,
      label: 'fixed rate',
      next,
    }),
  );
  const fixed = fixedRun.result;
  const after = await headPosition(dataDir);
  await catchUp.reach(after, CATCH_UP_TIMEOUT_MS);
  const lag = distribution(await catchUp.stop(before, after));
  const peakRssBytes = hub.peakRss();
  await hub.stop();
  const hot = profileDir ? summariseProfile(profileDir) : undefined;
  return {
    throughput,
    mixed,
    fixedRate: { ...figuresOf(fixed, 201, fixedRun.cpu), target: options.ingestRate },
    lag,
    peakRssBytes,
    events: after,
    ...(hot ? { hot } : {}),
  };
};

/**
 * Prints the hottest functions of the hub's main thread from the profile written into `dir`: by
 * self time, then Nexo's own functions by total time (what each step costs with what it calls).
 */
export const summariseProfile = (dir: string): HotFunction[] | undefined => {
  const file = mainThreadProfile(dir);
  if (file === undefined) return undefined;
  const hot = hotFunctions(file, 30);
  log(`hub CPU profile ${join(file)} — top self time:\n${formatHotFunctions(hot)}`);
  log(
    `Nexo's functions by total time (callees included), of the busy time:\n${formatHotFunctions(projectTotals(file, 30))}`,
  );
  return hot;
};
