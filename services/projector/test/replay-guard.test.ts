import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, noteRunningHub, openEngines, runningHubs } from '@nexo/runtime';

const REPLAY = fileURLToPath(new URL('../src/replay-cli.ts', import.meta.url));
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const replay = (dataDir: string): Promise<{ status: number; stderr: string }> =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', REPLAY],
      { encoding: 'utf8', env: { ...process.env, NEXO_DATA_DIR: dataDir, LOG_LEVEL: 'warn' } },
      (error, _stdout, stderr) => resolve({ status: error ? Number(error.code) : 0, stderr }),
    );
  });

describe('pnpm replay beside a running hub', () => {
  it('refuses to clear the read models while a hub serves the data folder, and runs once it stopped', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'nexo-replay-guard-'));
    dirs.push(dataDir);
    // A hub's data folder: its event log exists.
    await (await openEngines(loadConfig({ NEXO_DATA_DIR: dataDir }))).close();
    // This test's own process stands for the hub: it is alive.
    const stopped = noteRunningHub(dataDir) ?? (() => undefined);
    expect(runningHubs(dataDir)).toEqual([process.pid]);
    const refused = await replay(dataDir);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(`a hub is running on ${dataDir} (process ${process.pid}): stop it`);

    stopped();
    expect(runningHubs(dataDir)).toEqual([]);
    const ran = await replay(dataDir);
    expect(ran.status).toBe(0);
    expect(ran.stderr).toContain('dead letters of projector: 0 resolved, 0 remain');
  });

  it('does not count a hub that died without removing its note', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'nexo-replay-guard-'));
    dirs.push(dataDir);
    const child = execFile(process.execPath, ['-e', '']);
    const pid = child.pid ?? 0;
    await new Promise((resolve) => child.once('exit', resolve));
    mkdirSync(join(dataDir, 'run'), { recursive: true });
    writeFileSync(join(dataDir, 'run', `hub-${pid}`), 'left by a crash\n');
    expect(runningHubs(dataDir)).toEqual([]);
  });
});
