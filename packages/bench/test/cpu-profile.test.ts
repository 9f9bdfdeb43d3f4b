/** The bench's reading of a V8 CPU profile: self time, and Nexo's functions by time on the stack. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../src/child-server.ts';
import { hotFunctions, projectTotals } from '../src/cpu-profile.ts';

const own = (file: string) => pathToFileURL(join(REPO_ROOT, file)).href;
const library = pathToFileURL(join(REPO_ROOT, 'node_modules/.pnpm/x@1/node_modules/x/index.js')).href;

const frame = (id: number, functionName: string, url: string, children: number[] = [], hitCount = 0) => ({
  id,
  callFrame: { functionName, url, lineNumber: 0, columnNumber: 0, scriptId: '0' },
  hitCount,
  children,
});

/**
 * root → handle (Nexo) → parse (a library); handle → walk (Nexo) → walk (recursion); and idle.
 * Samples: parse ×4, walk (inner) ×3, handle ×1, idle ×2: 10 samples over 10 ms, 8 of them busy.
 */
const PROFILE = {
  nodes: [
    frame(1, '(root)', '', [2, 6]),
    frame(2, 'handle', own('services/x/src/handle.ts'), [3, 4], 1),
    frame(3, 'parse', library, [], 4),
    frame(4, 'walk', own('packages/x/src/walk.ts'), [5]),
    frame(5, 'walk', own('packages/x/src/walk.ts'), [], 3),
    frame(6, '(idle)', '', [], 2),
  ],
  startTime: 0,
  endTime: 10_000,
  samples: [3, 3, 5, 6, 3, 5, 2, 3, 6, 5],
  timeDeltas: Array.from({ length: 10 }, () => 1_000),
};

describe('CPU profile summaries', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const written = () => {
    const dir = mkdtempSync(join(tmpdir(), 'nexo-profile-'));
    dirs.push(dir);
    const file = join(dir, 'main.cpuprofile');
    writeFileSync(file, JSON.stringify(PROFILE));
    return file;
  };

  it('self time: each function by the samples it was the leaf of, a library included', () => {
    const hot = hotFunctions(written(), 3);
    expect(hot.map((f) => [f.name, f.share])).toEqual([
      ['parse', 0.4],
      ['walk', 0.3],
      ['(idle)', 0.2],
    ]);
  });

  it('total time: Nexo’s functions by busy samples on the stack, a recursion counted once, libraries left out', () => {
    const totals = projectTotals(written());
    expect(totals.map((f) => [f.name, f.share, Math.round(f.ms)])).toEqual([
      ['handle', 1, 8],
      ['walk', 3 / 8, 3],
    ]);
    expect(totals.map((f) => f.location)).toEqual(['services/x/src/handle.ts:1', 'packages/x/src/walk.ts:1']);
  });
});
