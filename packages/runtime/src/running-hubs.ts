import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Which hub processes serve a data folder: each running hub keeps a file `run/hub-<pid>` there.
 * `pnpm replay` clears and rebuilds the read models, and a hub that projects into them meanwhile
 * loses its records from them (404 for records it accepted, `/ready` still passing), so the replay
 * refuses to start while one runs. A hub that died without removing its file is told apart by its
 * process being gone.
 */
const RUN_DIR = 'run';
const PREFIX = 'hub-';

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists, under another user.
    return (error as { code?: unknown }).code === 'EPERM';
  }
};

/**
 * Notes this process as a hub serving `dataDir`; the returned function removes the note. Undefined
 * when the note cannot be written (a full disk): the hub still starts, as it does on a full disk
 * to serve reads, and the caller says that `pnpm replay` cannot tell it runs.
 */
export const noteRunningHub = (dataDir: string): (() => void) | undefined => {
  const folder = join(dataDir, RUN_DIR);
  const file = join(folder, `${PREFIX}${process.pid}`);
  try {
    mkdirSync(folder, { recursive: true });
    writeFileSync(file, `${new Date().toISOString()}\n`);
  } catch {
    return undefined;
  }
  return () => rmSync(file, { force: true });
};

/** The process ids of the hubs serving `dataDir` now; notes left by hubs that died are removed. */
export const runningHubs = (dataDir: string): number[] => {
  const folder = join(dataDir, RUN_DIR);
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const pid = name.startsWith(PREFIX) ? Number(name.slice(PREFIX.length)) : Number.NaN;
    if (!Number.isSafeInteger(pid) || pid <= 0) return [];
    if (isAlive(pid)) return [pid];
    rmSync(join(folder, name), { force: true });
    return [];
  });
};
