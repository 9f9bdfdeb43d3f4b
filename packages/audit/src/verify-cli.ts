/**
 * `pnpm audit:verify [--file <audit.sqlite>]`: walks the audit chain and names the first broken
 * link. Exit status 0 when the chain is intact, 1 when it is broken, 2 on a usage error.
 */
import { existsSync } from 'node:fs';
import { loadConfigOrExit, parseCliArgs } from '@nexo/runtime';
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
const log = openSqliteAuditLog({ file, readOnly: true });
const result = await log.verify();
await log.close();
if (result.ok) {
  console.log(`audit log ${file}: ${result.entries} entries, chain intact; head ${result.head}`);
} else {
  console.error(
    `audit log ${file}: BROKEN at entry ${result.brokenAt} — ${result.reason} (${result.entries} entries verified before it)`,
  );
  process.exit(1);
}
