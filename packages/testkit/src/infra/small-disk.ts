/**
 * A small disk of its own, to be filled: a tmpfs mounted on a fresh temporary folder, so that a
 * test meets the real ENOSPC and SQLITE_FULL of a full disk without filling the machine's. Mounting
 * needs Linux and root (CAP_SYS_ADMIN), as CI runs; elsewhere `smallDiskUnavailable` says why and
 * the suite is skipped with that reason on a line of its own, as the Docker-backed suites are.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, ftruncateSync, fstatSync, openSync, writeSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { removeTempDir, tempDir } from '../temp-dir.ts';

export interface SmallDisk {
  /** The mounted folder. */
  readonly dir: string;
  /** Fills the disk until a write fails for want of space, leaving `leaveBytes` free (default 0). */
  fill(leaveBytes?: number): void;
  /** Frees what `fill` took. */
  free(): void;
  /** Bytes an unprivileged writer may still use (`statfs` bavail × bsize). */
  freeBytes(): Promise<number>;
  /** Frees, unmounts (lazily: files still open are released when closed) and removes the folder. */
  unmount(): Promise<void>;
}

const FILLER = '.filler';
const PAGE = 4096;

const mount = (dir: string, sizeMiB: number): void => {
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMiB}m,mode=0755`, 'tmpfs', dir], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
};

let unavailable: Promise<string | undefined> | undefined;

/** Why no small disk can be mounted here, or undefined when it can (checked once by mounting one). */
export const smallDiskUnavailable = (): Promise<string | undefined> =>
  (unavailable ??= (async () => {
    if (process.platform !== 'linux') return 'a tmpfs is mounted on Linux only';
    if (process.getuid?.() !== 0) return 'mounting a tmpfs needs root';
    const dir = await tempDir('nexo-disk-probe-');
    try {
      mount(dir, 1);
      execFileSync('umount', [dir]);
      return undefined;
    } catch (error) {
      const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim().split('\n')[0];
      return `cannot mount a tmpfs here (${stderr || 'mount failed'})`;
    } finally {
      await removeTempDir(dir);
    }
  })());

/** Mounts a tmpfs of `sizeMiB` on a fresh folder. */
export const mountSmallDisk = async (sizeMiB: number): Promise<SmallDisk> => {
  const dir = await tempDir('nexo-disk-');
  mount(dir, sizeMiB);
  const fillerPath = join(dir, FILLER);
  let filler: number | undefined;
  const free = (): void => {
    if (filler === undefined) return;
    ftruncateSync(filler, 0);
    closeSync(filler);
    filler = undefined;
  };
  const freeBytes = async (): Promise<number> => {
    const stats = await statfs(dir);
    return stats.bavail * stats.bsize;
  };
  return {
    dir,
    fill: (leaveBytes = 0) => {
      filler ??= openSync(fillerPath, 'a');
      const fd = filler;
      for (const chunk of [Buffer.alloc(256 * PAGE), Buffer.alloc(PAGE)]) {
        for (;;) {
          try {
            writeSync(fd, chunk);
          } catch (error) {
            if ((error as { code?: unknown }).code === 'ENOSPC') break;
            throw error;
          }
        }
      }
      if (leaveBytes > 0) {
        const size = fstatSync(fd).size;
        ftruncateSync(fd, Math.max(0, size - Math.ceil(leaveBytes / PAGE) * PAGE));
      }
    },
    free,
    freeBytes,
    unmount: async () => {
      free();
      execFileSync('umount', ['-l', dir]);
      await removeTempDir(dir);
    },
  };
};
