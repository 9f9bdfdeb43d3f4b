/**
 * Summarises a V8 CPU profile (`node --cpu-prof`): self time per function, the figure that says
 * where the process spends its CPU, with the share of all samples.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from './child-server.ts';
import { tsxPositionMapper } from './source-positions.ts';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
    readonly columnNumber: number;
  };
  readonly hitCount?: number;
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples?: readonly number[];
}

export interface HotFunction {
  readonly name: string;
  readonly location: string;
  /** The time the share stands for: self time, or time on the stack (`projectTotals`). */
  readonly ms: number;
  /** Of all samples (self time), or of the thread's busy samples (`projectTotals`). */
  readonly share: number;
}

const shortLocation = (url: string, line: number): string => {
  if (url === '') return '(native)';
  const path = url.startsWith('file://') ? new URL(url).pathname : url;
  const pnpm = /node_modules\/\.pnpm\/[^/]+\/node_modules\/(.*)$/.exec(path);
  const shown = pnpm?.[1] ?? (path.startsWith(REPO_ROOT) ? relative(REPO_ROOT, path) : path);
  return `${shown}:${line + 1}`;
};

interface Frame {
  readonly name: string;
  readonly location: string;
  /** Nexo's own code (under the repository, outside node_modules): what a change could touch. */
  readonly project: boolean;
}

const readProfile = (file: string): CpuProfile => JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;

/** Each node's function, named and placed in the TypeScript source where tsx's maps allow. */
const framesOf = (profile: CpuProfile): Map<number, Frame> => {
  const original = tsxPositionMapper();
  const frames = new Map<number, Frame>();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    const path = url.startsWith('file://') ? new URL(url).pathname : url;
    const mapped = original(path, lineNumber, columnNumber);
    frames.set(node.id, {
      name: mapped?.name ?? (functionName === '' ? '(anonymous)' : functionName),
      location: shortLocation(url, mapped?.line ?? lineNumber),
      project: path.startsWith(REPO_ROOT) && !path.includes('/node_modules/'),
    });
  }
  return frames;
};

const keyOf = (frame: Frame): string => `${frame.name}\u0000${frame.location}`;

type Counts = Map<string, { readonly frame: Frame; count: number }>;

const tally = (counts: Counts, frame: Frame, by: number): void => {
  const entry = counts.get(keyOf(frame)) ?? { frame, count: 0 };
  entry.count += by;
  counts.set(keyOf(frame), entry);
};

/** The `top` functions by count, each as a share of `of` samples and the ms of `spanMs` it stands for. */
const ranked = (counts: Counts, of: number, spanMs: number, top: number): HotFunction[] =>
  [...counts.values()]
    .sort((a, b) => b.count - a.count)
    .slice(0, top)
    .map(({ frame, count }) => ({
      name: frame.name,
      location: frame.location,
      ms: (count / Math.max(of, 1)) * spanMs,
      share: count / Math.max(of, 1),
    }));

/** The `top` functions by self time in the profile file. */
export const hotFunctions = (file: string, top = 25): HotFunction[] => {
  const profile = readProfile(file);
  const frames = framesOf(profile);
  const self: Counts = new Map();
  for (const node of profile.nodes) tally(self, frames.get(node.id)!, node.hitCount ?? 0);
  const totalHits = profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0);
  return ranked(self, totalHits, (profile.endTime - profile.startTime) / 1000, top);
};

/** Samples that are no work of the thread's: waiting for an event, or V8's own bookkeeping. */
const NOT_WORK = new Set(['(idle)', '(program)']);

/**
 * The `top` functions of Nexo's own code by total time: the share of the thread's busy samples
 * in which the function was on the stack, callees included (a recursive function counts once per
 * sample). Self time spreads a route's cost over the libraries it calls (JSON.parse, SQLite,
 * fastify); this says which of Nexo's steps the time is spent under.
 */
export const projectTotals = (file: string, top = 25): HotFunction[] => {
  const profile = readProfile(file);
  const frames = framesOf(profile);
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const onStack: Counts = new Map();
  const samples = profile.samples ?? [];
  let busy = 0;
  for (const sample of samples) {
    if (NOT_WORK.has(frames.get(sample)?.name ?? '')) continue;
    busy++;
    const counted = new Set<string>();
    for (let id: number | undefined = sample; id !== undefined; id = parent.get(id)) {
      const frame = frames.get(id);
      if (frame === undefined || !frame.project || counted.has(keyOf(frame))) continue;
      counted.add(keyOf(frame));
      tally(onStack, frame, 1);
    }
  }
  const msPerSample = (profile.endTime - profile.startTime) / 1000 / Math.max(samples.length, 1);
  return ranked(onStack, busy, busy * msPerSample, top);
};

/**
 * The main thread's profile in a folder: with tsx as a loader, Node writes one profile per thread
 * (the loader's worker is mostly idle); the main thread's has by far the most samples, so the largest file.
 */
export const mainThreadProfile = (dir: string): string | undefined =>
  readdirSync(dir)
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => join(dir, name))
    .sort((a, b) => statSync(a).size - statSync(b).size)
    .at(-1);

export const formatHotFunctions = (hot: readonly HotFunction[]): string =>
  hot
    .map(
      (f) =>
        `  ${(f.share * 100).toFixed(1).padStart(5)}%  ${f.ms.toFixed(0).padStart(6)} ms  ${f.name}  ${f.location}`,
    )
    .join('\n');
