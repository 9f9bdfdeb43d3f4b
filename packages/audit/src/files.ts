import { join } from 'node:path';

export interface AuditFiles {
  /** The embedded audit log, beside the event store and the read models. */
  readonly log: string;
  /** The key of the citizens' pseudonyms (keep it with the backups, apart from the log). */
  readonly pseudonymKey: string;
}

/** Where the embedded audit trail lives under the data folder. */
export const auditFiles = (dataDir: string): AuditFiles => ({
  log: join(dataDir, 'audit.sqlite'),
  pseudonymKey: join(dataDir, 'keys', 'audit-pseudonym.key'),
});
