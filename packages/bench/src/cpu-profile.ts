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
  readonly selfMs: number;
  readonly share: number;
}

const shortLocation = (url: string, line: number): string => {
  if (url === '') return '(native)';
  const path = url.startsWith('file://') ? new URL(url).pathname : url;
  const pnpm = /node_modules\/\.pnpm\/[^/]+\/node_modules\/(.*)$/.exec(path);
  const shown = pnpm?.[1] ?? (path.startsWith(REPO_ROOT) ? relative(REPO_ROOT, path) : path);
  return `${shown}:${line + 1}`;
};

/** The `top` functions by self time in the profile file. */
export const hotFunctions = (file: string, top = 25): HotFunction[] => {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const totalHits = profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0);
  const durationMs = (profile.endTime - profile.startTime) / 1000;
  const byFunction = new Map<string, { name: string; location: string; hits: number }>();
  const original = tsxPositionMapper();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    const path = url.startsWith('file://') ? new URL(url).pathname : url;
    const mapped = original(path, lineNumber, columnNumber);
    const name = mapped?.name ?? (functionName === '' ? '(anonymous)' : functionName);
    const location = shortLocation(url, mapped?.line ?? lineNumber);
    const key = `${name}\u0000${location}`;
    const entry = byFunction.get(key) ?? { name, location, hits: 0 };
    entry.hits += node.hitCount ?? 0;
    byFunction.set(key, entry);
  }
  return [...byFunction.values()]
    .sort((a, b) => b.hits - a.hits)
    .slice(0, top)
    .map((f) => ({
      name: f.name,
      location: f.location,
      selfMs: (f.hits / Math.max(totalHits, 1)) * durationMs,
      share: f.hits / Math.max(totalHits, 1),
    }));
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
        `  ${(f.share * 100).toFixed(1).padStart(5)}%  ${f.selfMs.toFixed(0).padStart(6)} ms  ${f.name}  ${f.location}`,
    )
    .join('\n');
