/** The bench's report: one row per figure, with the target and PASS/MISS where the issue sets one. */
import type { CitizenFigures } from './citizen-phase.ts';
import type { IngestFigures, RequestThreadShares, RunFigures } from './ingest-phase.ts';
import type { LargeFigures } from './large-phase.ts';
import type { BenchOptions } from './options.ts';
import type { ReferenceWork } from './reference-work.ts';
import type { ReplayResult } from './replay.ts';
import type { Distribution } from './stats.ts';

export interface Row {
  readonly figure: string;
  readonly measured: string;
  readonly target: string;
  /** PASS, MISS, or empty when the figure has no target. */
  readonly verdict: string;
}

export const TARGETS = {
  ingestPerSecond: 3_000,
  ceilingShare: 0.5,
  fixedRateP99Ms: 25,
  lagP99Ms: 500,
  cardP99Ms: 5,
  cardCitizens: 1_000_000,
  replayPerSecond: 20_000,
  largeRatio: 0.9,
} as const;

const int = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
const ms = (n: number): string => (Number.isFinite(n) ? `${n < 10 ? n.toFixed(2) : n.toFixed(0)} ms` : 'n/a');
const us = (n: number | undefined): string => (n === undefined ? 'n/a' : `${Math.round(n)} µs`);
const pct = (n: number): string => `${(n * 100).toFixed(0)}%`;
const shares = (s: RequestThreadShares | undefined): string =>
  s === undefined ? 'n/a' : `${pct(s.onCpu)} / ${pct(s.waitingForCpu)} / ${pct(s.blockedOrIdle)}`;
const mib = (bytes: number | undefined): string =>
  bytes === undefined ? 'n/a' : `${Math.round(bytes / 1_048_576)} MiB`;
const p50p99 = (d: Distribution): string => `${ms(d.p50)} / ${ms(d.p99)}`;
const verdict = (ok: boolean): string => (ok ? 'PASS' : 'MISS');

export interface BenchResults {
  /** The machine's speed, measured before the first run and after the last (reference-work.ts). */
  readonly reference?: { readonly before: ReferenceWork; readonly after: ReferenceWork };
  readonly ceiling?: RunFigures;
  readonly ingest?: IngestFigures;
  readonly replay?: ReplayResult;
  readonly citizens?: CitizenFigures;
  readonly large?: LargeFigures;
}

const ingestRows = (options: BenchOptions, ingest: IngestFigures, ceiling: RunFigures | undefined): Row[] => {
  const share = ceiling ? ingest.throughput.rate / Math.max(ceiling.rate, 1e-9) : undefined;
  return [
    {
      figure: `ingest RIA bundles/s, 201 durable (${options.connections} in flight)`,
      measured: int(ingest.throughput.rate),
      target: `≥ ${int(TARGETS.ingestPerSecond)}`,
      verdict: verdict(ingest.throughput.rate >= TARGETS.ingestPerSecond),
    },
    {
      figure: 'ingest latency p50 / p99 at that load',
      measured: p50p99(ingest.throughput.latency),
      target: '',
      verdict: '',
    },
    {
      figure: 'hub CPU per RIA bundle, all threads (at that load / at the fixed rate)',
      measured: `${us(ingest.throughput.cpuPerRequestUs)} / ${us(ingest.fixedRate.cpuPerRequestUs)}`,
      target: '',
      verdict: '',
    },
    {
      figure: 'hub request thread on a core / waiting for one / blocked or idle, at that load',
      measured: shares(ingest.throughput.requestThread),
      target: '',
      verdict: '',
    },
    {
      figure: 'the same, at the fixed rate',
      measured: shares(ingest.fixedRate.requestThread),
      target: '',
      verdict: '',
    },
    ...(share === undefined
      ? []
      : [
          {
            figure: 'Nexo ingest / bare fastify ceiling',
            measured: pct(share),
            target: `≥ ${pct(TARGETS.ceilingShare)}`,
            verdict: verdict(share >= TARGETS.ceilingShare),
          },
        ]),
    {
      figure: 'full mix (RIA/REL/RDM, 5% invalid, 5% corrections) 201/s',
      measured: `${int(ingest.mixed.rate)} (${int(ingest.mixed.answered)} answered/s)`,
      target: '',
      verdict: '',
    },
    {
      figure: `ingest latency p50 / p99 at ${int(ingest.fixedRate.target)} bundles/s`,
      measured: p50p99(ingest.fixedRate.latency),
      target: `p99 ≤ ${TARGETS.fixedRateP99Ms} ms`,
      verdict: verdict(ingest.fixedRate.latency.p99 <= TARGETS.fixedRateP99Ms),
    },
    {
      figure: `projection lag p50 / p99 at ${int(ingest.fixedRate.target)} bundles/s`,
      measured: p50p99(ingest.lag),
      target: `p99 ≤ ${TARGETS.lagP99Ms} ms`,
      verdict: verdict(ingest.lag.p99 <= TARGETS.lagP99Ms),
    },
    { figure: 'hub peak RSS, ingest runs', measured: mib(ingest.peakRssBytes), target: '', verdict: '' },
  ];
};

const citizenRows = (citizens: CitizenFigures): Row[] => {
  const fullScale = citizens.citizens >= TARGETS.cardCitizens;
  return [
    {
      figure: `card read p50 / p99 at ${int(citizens.reads.target)} req/s, ${int(citizens.citizens)} citizens`,
      measured: p50p99(citizens.reads.latency),
      target: `p99 ≤ ${TARGETS.cardP99Ms} ms${fullScale ? '' : ' (at 1M citizens)'}`,
      verdict: verdict(citizens.reads.latency.p99 <= TARGETS.cardP99Ms) + (fullScale ? '' : ' (scaled down)'),
    },
    {
      figure: 'hub CPU per card read, all threads',
      measured: us(citizens.reads.cpuPerRequestUs),
      target: '',
      verdict: '',
    },
    {
      figure: 'hub request thread on a core / waiting for one / blocked or idle',
      measured: shares(citizens.reads.requestThread),
      target: '',
      verdict: '',
    },
    { figure: 'hub peak RSS, card reads', measured: mib(citizens.peakRssBytes), target: '', verdict: '' },
  ];
};

const largeRows = (large: LargeFigures): Row[] => [
  {
    figure: `ingest bundles/s with ${int(large.baseline.stored)} / ${int(large.large.stored)} events stored`,
    measured: `${int(large.baseline.rate)} / ${int(large.large.rate)}`,
    target: '',
    verdict: '',
  },
  {
    figure: 'throughput large log / small log',
    measured: pct(large.ratio),
    target: `≥ ${pct(TARGETS.largeRatio)}`,
    verdict: verdict(large.ratio >= TARGETS.largeRatio),
  },
];

const spread = (work: ReferenceWork): string =>
  `${us(work.microsPerBundle)} (${Math.round(work.fastest)}–${Math.round(work.slowest)})`;

const referenceRows = (reference: NonNullable<BenchResults['reference']>): Row[] => [
  {
    figure: 'reference work per RIA bundle, one thread: median (range), before / after the runs',
    measured: `${spread(reference.before)} / ${spread(reference.after)}`,
    target: '',
    verdict: '',
  },
];

export const buildRows = (options: BenchOptions, results: BenchResults): Row[] => [
  ...(results.reference ? referenceRows(results.reference) : []),
  ...(results.ceiling
    ? [
        {
          figure: 'bare fastify ceiling req/s (same bodies)',
          measured: int(results.ceiling.rate),
          target: '',
          verdict: '',
        },
      ]
    : []),
  ...(results.ingest ? ingestRows(options, results.ingest, results.ceiling) : []),
  ...(results.replay
    ? [
        {
          figure: `replay events/s (${int(results.replay.events)} events)`,
          measured: int(results.replay.eventsPerSecond),
          target: `≥ ${int(TARGETS.replayPerSecond)}`,
          verdict: verdict(results.replay.eventsPerSecond >= TARGETS.replayPerSecond),
        },
      ]
    : []),
  ...(results.citizens ? citizenRows(results.citizens) : []),
  ...(results.large ? largeRows(results.large) : []),
];

const answers = (label: string, figures: RunFigures): string =>
  `${label}: ${[...figures.byStatus]
    .sort(([a], [b]) => a - b)
    .map(([status, count]) => `${status}×${count}`)
    .join(' ')}${figures.failures ? `, ${figures.failures} failed` : ''}`;

/** Every status each run was answered with, so a fast but wrong run is visible. */
export const answerNotes = (results: BenchResults): string[] => [
  ...(results.ingest
    ? [
        answers('RIA throughput answers', results.ingest.throughput),
        answers('full mix answers', results.ingest.mixed),
        answers('fixed-rate answers', results.ingest.fixedRate),
      ]
    : []),
  ...(results.citizens
    ? [
        answers('card read answers', results.citizens.reads),
        `card reads: ${results.citizens.citizens} citizens with ${results.citizens.records} vaccinations loaded through the ReadStore port in ${results.citizens.seedSeconds.toFixed(1)} s`,
      ]
    : []),
  ...(results.large
    ? [
        answers('10k-log answers', results.large.baseline),
        answers('large-log answers', results.large.large),
        `large log seeded through the EventStore port in ${results.large.large.seedSeconds.toFixed(0)} s`,
      ]
    : []),
];

export const formatTable = (rows: readonly Row[]): string => {
  const header: Row = { figure: 'figure', measured: 'measured', target: 'target', verdict: 'result' };
  const all = [header, ...rows];
  const width = (key: keyof Row): number => Math.max(...all.map((r) => r[key].length));
  const widths = {
    figure: width('figure'),
    measured: width('measured'),
    target: width('target'),
    verdict: width('verdict'),
  };
  const line = (r: Row): string =>
    `| ${r.figure.padEnd(widths.figure)} | ${r.measured.padStart(widths.measured)} | ${r.target.padEnd(widths.target)} | ${r.verdict.padEnd(widths.verdict)} |`;
  const rule = `|${'-'.repeat(widths.figure + 2)}|${'-'.repeat(widths.measured + 1)}:|${'-'.repeat(widths.target + 2)}|${'-'.repeat(widths.verdict + 2)}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
};
