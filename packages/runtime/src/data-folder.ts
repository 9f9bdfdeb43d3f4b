/**
 * Whether a service can write in its data folder, asked before it opens anything there. A folder
 * on read-only storage, or one the service's user may not write, otherwise surfaced as SQLite's
 * "unable to open database file" with a stack trace, or as a mkdir error from wherever came
 * first, naming neither the folder nor the setting.
 */
import { closeSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';

/**
 * A full disk is not this check's business: a hub whose files are there starts on a full disk and
 * serves reads (disk-space.ts), so a write refused for want of room passes.
 */
const NO_ROOM = new Set(['ENOSPC', 'EDQUOT']);

/** The file system's code when `dir` cannot be created or written in, else undefined. */
export const dataFolderWriteFailure = (dir: string): string | undefined => {
  const probe = join(dir, `.write-probe-${process.pid}`);
  try {
    mkdirSync(dir, { recursive: true });
    closeSync(openSync(probe, 'w'));
    rmSync(probe, { force: true });
    return undefined;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && NO_ROOM.has(code)) return undefined;
    return typeof code === 'string' ? code : 'unknown error';
  }
};

/** Stops the start with one line naming the folder, the setting and the code, exit status 1. */
export const exitUnlessDataFolderWritable = (dataDir: string, logger: Logger): void => {
  const code = dataFolderWriteFailure(dataDir);
  if (code === undefined) return;
  logger.fatal(
    { code, dataDir },
    'cannot start: the data folder (NEXO_DATA_DIR) cannot be written; point NEXO_DATA_DIR at a writable folder, or give this user write access to it',
  );
  process.exit(1);
};
