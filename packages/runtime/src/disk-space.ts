/**
 * Free space of the data folder: a readiness check, a metric, and how a start-up failure on a full
 * disk is told apart. The embedded engines, the audit log and the keys live there; with too little
 * room a commit fails (SQLITE_FULL) and every write is refused with 503.
 */
import { statfs } from 'node:fs/promises';
import type { ReadinessCheck } from './health.ts';

export const DISK_SPACE_DEFAULTS = {
  /** `NEXO_MIN_FREE_DISK_MB`: below this many MiB free in the data folder, the service is not ready. */
  minFreeDiskMb: 256,
} as const;

const MIB = 1_048_576;

/** Bytes of the folder's file system that the process may still use (statfs bavail × bsize). */
export const freeDiskBytes = async (dir: string): Promise<number> => {
  const stats = await statfs(dir);
  return stats.bavail * stats.bsize;
};

/**
 * `disk space`: fails while the data folder has fewer than `minFreeMb` MiB free (0 turns it off).
 * Not ready before the disk is full: the node leaves the load balancer while its last writes can
 * still commit, and an operator has the margin to free space.
 */
export const diskSpaceCheck = (dir: string, minFreeMb: number): ReadinessCheck => ({
  name: 'disk space',
  probe: async () => {
    const free = await freeDiskBytes(dir);
    if (free < minFreeMb * MIB)
      throw Object.assign(new Error(`${Math.floor(free / MIB)} MiB free, below ${minFreeMb} MiB`), {
        code: 'ENOSPC',
      });
  },
});

/** Error codes that say a write found no room: SQLite's, and the file system's (space, quota). */
const DISK_FULL_CODES = new Set(['SQLITE_FULL', 'ENOSPC', 'EDQUOT']);
/** SQLite's and the file system's codes of a storage failure whose cause the free space tells. */
const STORAGE_FAILURE = /^(?:SQLITE_(?:IOERR|CANTOPEN)(?:_\w+)?|EIO)$/;

/**
 * Whether `error` (thrown while opening the engines, say) comes from a full disk: it says so, or it
 * is a storage failure while the folder has less than `minFreeMb` MiB free. SQLite opening a log on
 * a full disk fails with SQLITE_IOERR_SHMSIZE: it cannot make room for the WAL index.
 */
export const isDiskFullFailure = async (error: unknown, dir: string, minFreeMb: number): Promise<boolean> => {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  if (DISK_FULL_CODES.has(code)) return true;
  if (!STORAGE_FAILURE.test(code)) return false;
  try {
    return (await freeDiskBytes(dir)) < Math.max(minFreeMb, 1) * MIB;
  } catch {
    return false;
  }
};
