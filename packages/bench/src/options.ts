/** The bench's command line: `pnpm bench [--duration 10] [--citizens 1000000] [--large] ...`. */
import { parseArgs } from 'node:util';

export interface BenchOptions {
  /** Seconds of each measured run (warm-ups are extra). */
  readonly durationSeconds: number;
  /** Requests in flight for the throughput runs. */
  readonly connections: number;
  /** Fixed rate (bundles/s) of the latency and projection-lag run. */
  readonly ingestRate: number;
  /** Citizens whose read models are loaded before the card reads. */
  readonly citizens: number;
  /** Fixed rate (req/s) of the card reads. */
  readonly readRate: number;
  /** Also compare throughput with `largeEvents` events stored against 10k. */
  readonly large: boolean;
  readonly largeEvents: number;
  /** Runs the hub of the throughput run with `--cpu-prof` and prints the hottest functions. */
  readonly profile: boolean;
  readonly seed: number;
  /** Keeps the temporary data folders (and profiles) instead of deleting them. */
  readonly keep: boolean;
  /** The parts to run (all but `large` unless --large). */
  readonly parts: ReadonlySet<BenchPart>;
}

export const BENCH_PARTS = ['ceiling', 'ingest', 'replay', 'citizens', 'large'] as const;
export type BenchPart = (typeof BENCH_PARTS)[number];

const partsOf = (raw: string | undefined, large: boolean): Set<BenchPart> => {
  if (raw === undefined) return new Set(BENCH_PARTS.filter((part) => part !== 'large' || large));
  const parts = raw.split(',').map((part) => part.trim());
  const unknown = parts.filter((part) => !(BENCH_PARTS as readonly string[]).includes(part));
  if (unknown.length > 0)
    throw new RangeError(`--only takes ${BENCH_PARTS.join(', ')}; not ${unknown.join(', ')}`);
  if (parts.includes('replay') && !parts.includes('ingest'))
    throw new RangeError('--only replay needs ingest too (it replays its log)');
  return new Set(parts as BenchPart[]);
};

export const USAGE = `pnpm bench [options]
  --duration <s>        seconds of each measured run (default 10)
  --connections <n>     requests in flight in the throughput runs (default 64)
  --rate <n>            bundles/s of the fixed-rate latency and projection-lag run (default 1000)
  --citizens <n>        citizens loaded before the card reads (default 10000; the target is for 1000000)
  --read-rate <n>       card reads per second (default 2000)
  --large               also measure throughput with --large-events events stored vs 10k
  --large-events <n>    events seeded for --large (default 10000000)
  --profile             CPU-profile the hub (ingest runs, card reads); print the hottest functions
                        by self time, and Nexo's own by total time
  --seed <n>            seed of the synthetic data (default 1)
  --keep                keep the temporary data folders and profiles
  --only <parts>        run only some of: ${BENCH_PARTS.join(', ')} (comma-separated)
  --help                this text`;

const positive = (name: string, raw: string | undefined, fallback: number): number => {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new RangeError(`--${name} must be a positive number, got ${raw}`);
  return value;
};

export const parseOptions = (argv: readonly string[]): BenchOptions | 'help' => {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      duration: { type: 'string' },
      connections: { type: 'string' },
      rate: { type: 'string' },
      citizens: { type: 'string' },
      'read-rate': { type: 'string' },
      large: { type: 'boolean', default: false },
      'large-events': { type: 'string' },
      profile: { type: 'boolean', default: false },
      seed: { type: 'string' },
      keep: { type: 'boolean', default: false },
      only: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) return 'help';
  return {
    durationSeconds: positive('duration', values.duration, 10),
    connections: Math.round(positive('connections', values.connections, 64)),
    ingestRate: positive('rate', values.rate, 1000),
    citizens: Math.round(positive('citizens', values.citizens, 10_000)),
    readRate: positive('read-rate', values['read-rate'], 2000),
    large: values.large ?? false,
    largeEvents: Math.round(positive('large-events', values['large-events'], 10_000_000)),
    profile: values.profile ?? false,
    seed: Math.round(positive('seed', values.seed, 1)),
    keep: values.keep ?? false,
    parts: partsOf(values.only, values.large ?? false),
  };
};
