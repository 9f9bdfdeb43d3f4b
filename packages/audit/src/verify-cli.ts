/**
 * `pnpm audit:verify [--file <audit.sqlite>]`: walks the audit chain and names the first broken
 * link. Exit status 0 when the chain is intact, 1 when it is broken, 2 on a usage error.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { dataFolderWriteFailure, loadConfigOrExit, parseCliArgs } from '@nexo/runtime';
import type { AuditLog } from './port.ts';
import { auditFiles } from './files.ts';
import { openSqliteAuditLog } from './sqlite.ts';

const { values } = parseCliArgs(
  { options: { file: { type: 'string' } }, strict: true },
  'usage: pnpm audit:verify [--file <audit.sqlite>]',
);
const file = values.file ?? auditFiles(loadConfigOrExit().dataDir).log;
if (!existsSync(file)) {
  console.error(`no audit log at ${file} (set NEXO_DATA_DIR or pass --file)`);
  process.exit(2);
}
/**
 * SQLite opens a log in WAL mode only where it can write the log's index (`-shm`) beside it, even
 * to read. A log kept on read-only storage (an archive, evidence mounted read-only) is verified
 * from a copy in a temporary folder, which is removed afterwards; the original is never written.
 */
const openForVerifying = (): { log: AuditLog; copy?: string } => {
  try {
    return { log: openSqliteAuditLog({ file, readOnly: true }) };
  } catch (error) {
    const readOnlyFolder = dataFolderWriteFailure(dirname(file)) !== undefined;
    if ((error as { code?: unknown }).code !== 'SQLITE_CANTOPEN' || !readOnlyFolder) throw error;
    const copy = mkdtempSync(join(tmpdir(), 'nexo-audit-verify-'));
    for (const suffix of ['', '-wal']) {
      if (existsSync(file + suffix)) copyFileSync(file + suffix, join(copy, basename(file) + suffix));
    }
    return { log: openSqliteAuditLog({ file: join(copy, basename(file)), readOnly: true }), copy };
  }
};

const { log, copy } = openForVerifying();
if (copy !== undefined) console.log(`${dirname(file)} cannot be written: verifying a copy of the log`);
const result = await log.verify();
await log.close();
if (copy !== undefined) rmSync(copy, { recursive: true, force: true });
if (result.ok) {
  console.log(`audit log ${file}: ${result.entries} entries, chain intact; head ${result.head}`);
} else {
  console.error(
    `audit log ${file}: BROKEN at entry ${result.brokenAt} — ${result.reason} (${result.entries} entries verified before it)`,
  );
  process.exit(1);
}
