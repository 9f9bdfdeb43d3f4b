/**
 * Card reads: N citizens' read models loaded through the ReadStore port, then reads at a fixed rate,
 * each with a signed token of its own (citizen-tokens.ts).
 */
import { mkdirSync } from 'node:fs';
import { seededRandom } from '@nexo/identifiers';
import { startHub } from './hub-process.ts';
import { figuresOf, summariseProfile, withCpu, type RunFigures } from './ingest-phase.ts';
import { openLoop } from './load.ts';
import type { BenchOptions } from './options.ts';
import { log } from './progress.ts';
import { cardReads } from './requests.ts';
import { issueCitizenTokens } from './citizen-tokens.ts';
import { seedCitizens } from './seed-citizens.ts';

const WARM_UP_MS = 2_000;

export interface CitizenFigures {
  readonly citizens: number;
  readonly records: number;
  readonly seedSeconds: number;
  readonly reads: RunFigures & { readonly target: number };
  readonly peakRssBytes: number | undefined;
}

export const runCitizenPhase = async (
  dataDir: string,
  options: BenchOptions,
  profileDir?: string,
): Promise<CitizenFigures> => {
  log(`citizen card: loading ${options.citizens} citizens`);
  const seeded = await seedCitizens(dataDir, options.citizens, options.seed + 3);
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const reads = Math.ceil(options.readRate * (WARM_UP_MS / 1000 + options.durationSeconds));
  const tokens = await issueCitizenTokens(dataDir, seeded.cpfs, reads, seededRandom(options.seed + 4));
  const hub = await startHub(dataDir, profileDir);
  const next = cardReads(tokens);
  const common = { url: hub.url, connections: 128, rate: options.readRate, next };
  await openLoop({ ...common, durationMs: WARM_UP_MS, label: 'warm-up' });
  log(`hub: card reads at ${options.readRate}/s for ${options.durationSeconds} s`);
  const measured = await withCpu(hub, () =>
    openLoop({ ...common, durationMs: options.durationSeconds * 1000, label: 'card reads' }),
  );
  const peakRssBytes = hub.peakRss();
  await hub.stop();
  if (profileDir) summariseProfile(profileDir);
  return {
    citizens: options.citizens,
    records: seeded.records,
    seedSeconds: seeded.seconds,
    reads: { ...figuresOf(measured.result, 200, measured.cpu), target: options.readRate },
    peakRssBytes,
  };
};
