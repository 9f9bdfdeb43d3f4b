/**
 * Temporary directories for engine files. Each is created under the OS temp folder and removed by
 * `removeTempDir`, by `removeTempDirs`, or at the latest when the test process exits.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const created = new Set<string>();
let removeOnExit = false;

export const tempDir = async (prefix = 'nexo-'): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  created.add(dir);
  if (!removeOnExit) {
    removeOnExit = true;
    process.once('exit', () => {
      for (const leftover of created) rmSync(leftover, { recursive: true, force: true });
    });
  }
  return dir;
};

export const removeTempDir = async (dir: string): Promise<void> => {
  created.delete(dir);
  await rm(dir, { recursive: true, force: true });
};

/** Removes every directory `tempDir` created in this process (e.g. in an `afterAll`). */
export const removeTempDirs = async (): Promise<void> => {
  await Promise.all([...created].map(removeTempDir));
};
