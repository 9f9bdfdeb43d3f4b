/** The data folder's free space: its setting, the readiness check and how a start-up failure is read. */
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { diskSpaceCheck, freeDiskBytes, isDiskFullFailure, loadConfig } from '../src/index.ts';

/** More MiB than any test machine's disk has free (1 TiB), and the setting's largest value. */
const MORE_THAN_FREE = 1_048_576;
const sqliteError = (code: string) => Object.assign(new Error('disk I/O error'), { code });

describe('disk space of the data folder', () => {
  it('reads NEXO_MIN_FREE_DISK_MB (default 256 MiB, 0 turns the check off) and refuses what is not a whole number of MiB', () => {
    expect(loadConfig({}).minFreeDiskMb).toBe(256);
    expect(loadConfig({ NEXO_MIN_FREE_DISK_MB: '0' }).minFreeDiskMb).toBe(0);
    expect(loadConfig({ NEXO_MIN_FREE_DISK_MB: '2048' }).minFreeDiskMb).toBe(2048);
    for (const wrong of ['-1', '1.5', 'lots', String(MORE_THAN_FREE + 1)])
      expect(() => loadConfig({ NEXO_MIN_FREE_DISK_MB: wrong })).toThrow(
        'NEXO_MIN_FREE_DISK_MB must be an integer from 0 to 1048576',
      );
  });

  it('passes while the folder has the room asked for, and fails below it with ENOSPC', async () => {
    expect(await freeDiskBytes(tmpdir())).toBeGreaterThan(1_048_576);
    const roomy = diskSpaceCheck(tmpdir(), 1);
    expect(roomy.name).toBe('disk space');
    await expect(Promise.resolve(roomy.probe())).resolves.toBeUndefined();
    await expect(Promise.resolve(diskSpaceCheck(tmpdir(), 0).probe())).resolves.toBeUndefined();
    await expect(Promise.resolve(diskSpaceCheck(tmpdir(), MORE_THAN_FREE).probe())).rejects.toMatchObject({
      code: 'ENOSPC',
      message: expect.stringMatching(/^\d+ MiB free, below 1048576 MiB$/),
    });
  });

  it('takes a start-up failure for a full disk when it says so, or when a storage failure meets a disk without the room asked for', async () => {
    const dir = tmpdir();
    expect(await isDiskFullFailure(sqliteError('SQLITE_FULL'), dir, 1)).toBe(true);
    expect(await isDiskFullFailure(sqliteError('ENOSPC'), dir, 1)).toBe(true);
    // SQLite opening a log on a full disk: no room for its WAL index.
    expect(await isDiskFullFailure(sqliteError('SQLITE_IOERR_SHMSIZE'), dir, MORE_THAN_FREE)).toBe(true);
    expect(await isDiskFullFailure(sqliteError('SQLITE_IOERR_SHMSIZE'), dir, 1)).toBe(false);
    expect(await isDiskFullFailure(sqliteError('SQLITE_CORRUPT'), dir, MORE_THAN_FREE)).toBe(false);
    expect(await isDiskFullFailure(new Error('no code'), dir, MORE_THAN_FREE)).toBe(false);
    expect(await isDiskFullFailure(undefined, dir, MORE_THAN_FREE)).toBe(false);
  });
});
