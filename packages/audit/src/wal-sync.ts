import { close, fdatasync, fstatSync, open } from 'node:fs';

/**
 * Makes committed WAL frames durable without blocking the event loop: `fdatasync` of the `-wal`
 * file runs on the libuv threadpool, and one sync covers every batch committed before it started.
 *
 * Why an entry whose `durable()` resolved is as durable as under `synchronous=FULL`
 * (https://sqlite.org/pragma.html#pragma_synchronous, https://sqlite.org/wal.html): in WAL mode
 * with `synchronous=NORMAL` a commit `write()`s its frames, with their checksums and the commit
 * marker, to the WAL and does not sync; FULL differs only by an fsync of the WAL after those
 * writes (in SQLite's source, `sqlite3PagerSetFlags` sets the commit sync only for FULL and the
 * checkpoint and WAL-header syncs for NORMAL and FULL alike). We issue that same sync ourselves, on the same inode, after the commit returned, so the
 * frames are on disk before the promise resolves. What NORMAL still syncs itself covers the rest:
 * the WAL header is synced when a WAL starts or restarts (the first sync of a new WAL also syncs
 * its directory), the WAL is synced before each checkpoint copies it into the database, and the
 * database is synced after the checkpoint, before the WAL may be restarted and overwritten. So a
 * synced frame is either still in a WAL whose header is on disk, or already in the synced database
 * file; recovery after a crash replays it either way. This holds whichever connection
 * checkpoints, as long as none runs with `synchronous=OFF`.
 *
 * Same inode: SQLite deletes the WAL only when the last connection to the database closes, and
 * the audit connection stays open while this syncer is, so the file opened here after the first
 * commit (before it, the WAL may not exist) is the one SQLite writes. A checkpoint may truncate
 * it, never replace it; should it ever be unlinked anyway, the sync fails instead of resolving.
 *
 * A failed sync rejects every waiting entry and every later one: after an fsync error Linux may
 * drop the dirty pages and report the next fsync as successful, so no later success can be
 * trusted (the log fails closed until the process restarts and SQLite recovers the WAL).
 */
export interface WalSync {
  /**
   * Syncs the WAL: resolves once everything committed before the call is on disk. One call at a
   * time; the caller commits what arrived meanwhile as one batch and calls again.
   */
  durable(): Promise<void>;
  /** Throws what made a sync fail, if one did: nothing more should be committed then. */
  throwIfFailed(): void;
  /** Waits for the sync in flight, then closes the file. */
  close(): Promise<void>;
}

/** The file operations, replaceable in tests (a failing disk). */
export interface WalFileOps {
  open(path: string): Promise<number>;
  sync(fd: number): Promise<void>;
  close(fd: number): Promise<void>;
  /** Hard links of the open file: 0 once it was unlinked. */
  links(fd: number): number;
}

export const NODE_WAL_FILE_OPS: WalFileOps = {
  // Opened for writing too: some platforms refuse to sync a read-only descriptor.
  open: (path) => new Promise((ok, ko) => open(path, 'r+', (err, fd) => (err ? ko(err) : ok(fd)))),
  sync: (fd) => new Promise((ok, ko) => fdatasync(fd, (err) => (err ? ko(err) : ok()))),
  close: (fd) => new Promise((ok, ko) => close(fd, (err) => (err ? ko(err) : ok()))),
  links: (fd) => fstatSync(fd).nlink,
};

export const openWalSync = (walFile: string, ops: WalFileOps = NODE_WAL_FILE_OPS): WalSync => {
  let fd: Promise<number> | undefined;
  let running: Promise<void> | undefined;
  let failure: unknown;

  const syncOnce = async (): Promise<void> => {
    fd ??= ops.open(walFile);
    const handle = await fd;
    await ops.sync(handle);
    if (ops.links(handle) === 0) throw new Error(`the audit WAL ${walFile} was unlinked while open`);
  };

  return {
    durable: async () => {
      if (failure !== undefined) throw failure;
      if (running !== undefined) throw new Error('one audit WAL sync at a time');
      running = syncOnce();
      try {
        await running;
      } catch (err) {
        failure = err;
        throw err;
      } finally {
        running = undefined;
      }
    },
    throwIfFailed: () => {
      if (failure !== undefined) throw failure;
    },
    close: async () => {
      await running?.catch(() => undefined);
      const handle = await fd?.catch(() => undefined);
      if (handle !== undefined) await ops.close(handle);
    },
  };
};
