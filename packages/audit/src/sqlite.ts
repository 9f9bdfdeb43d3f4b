import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { verifyChain } from './chain.ts';
import type { AuditEntry, AuditLog } from './port.ts';
import { startAuditWriter } from './writer.ts';

/**
 * The embedded audit log: its own SQLite file (WAL, `synchronous=FULL`), one row per entry.
 * Triggers refuse UPDATE and DELETE, so the application cannot rewrite history; someone with the
 * file can, and `verify` then names the first broken link. Appends are committed on a writer thread
 * (writer.ts), in batches that share a transaction (group commit); the chain's head is read inside
 * that IMMEDIATE transaction, so two processes appending to the same file still build one chain.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS audit_log (
  seq                  INTEGER PRIMARY KEY,
  at                   TEXT    NOT NULL,
  actor_kind           TEXT    NOT NULL,
  actor_id             TEXT    NOT NULL,
  origin_address       TEXT    NOT NULL,
  origin_establishment TEXT,
  action               TEXT    NOT NULL,
  resource             TEXT,
  outcome              TEXT    NOT NULL,
  status               INTEGER NOT NULL,
  reason               TEXT,
  correlation_id       TEXT    NOT NULL,
  prev_hash            TEXT    NOT NULL,
  hash                 TEXT    NOT NULL
);
CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
`;

interface Row {
  seq: number;
  at: string;
  actor_kind: AuditEntry['actor']['kind'];
  actor_id: string;
  origin_address: string;
  origin_establishment: string | null;
  action: string;
  resource: string | null;
  outcome: AuditEntry['outcome'];
  status: number;
  reason: string | null;
  correlation_id: string;
  prev_hash: string;
  hash: string;
}

const fromRow = (row: Row): AuditEntry => ({
  seq: row.seq,
  at: row.at,
  actor: { kind: row.actor_kind, id: row.actor_id },
  origin: {
    address: row.origin_address,
    ...(row.origin_establishment === null ? {} : { establishment: row.origin_establishment }),
  },
  action: row.action,
  ...(row.resource === null ? {} : { resource: row.resource }),
  outcome: row.outcome,
  status: row.status,
  ...(row.reason === null ? {} : { reason: row.reason }),
  correlationId: row.correlation_id,
  prevHash: row.prev_hash,
  hash: row.hash,
});

const PRAGMAS = ['busy_timeout = 5000', 'journal_mode = WAL', 'synchronous = FULL'];

/** `readOnly` opens an existing file without changing it (what `audit:verify` does). */
export const openSqliteAuditLog = (options: {
  readonly file: string;
  readonly readOnly?: boolean;
}): AuditLog => {
  const readOnly = options.readOnly === true;
  // The writer thread needs a file it can open beside this connection.
  if (options.file === ':memory:') throw new RangeError('the audit log needs a file, not :memory:');
  if (!readOnly) mkdirSync(dirname(options.file), { recursive: true });
  const db = new Database(options.file, { readonly: readOnly, fileMustExist: readOnly });
  if (readOnly) db.pragma('busy_timeout = 5000');
  else {
    for (const pragma of PRAGMAS) db.pragma(pragma);
    db.exec(SCHEMA);
  }
  const page = db.prepare<[number, number], Row>(
    'SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?',
  );
  const writer = readOnly
    ? undefined
    : startAuditWriter({
        file: options.file,
        pragmas: PRAGMAS,
        headSql: 'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1',
        insertSql: `INSERT INTO audit_log (seq, at, actor_kind, actor_id, origin_address, origin_establishment,
            action, resource, outcome, status, reason, correlation_id, prev_hash, hash)
          VALUES (@seq, @at, @actorKind, @actorId, @address, @establishment, @action, @resource, @outcome,
            @status, @reason, @correlationId, @prevHash, @hash)`,
      });
  let closed = false;

  return {
    append: (event) =>
      writer === undefined ? Promise.reject(new Error('the audit log is read-only')) : writer.append(event),
    read: async (afterSeq, limit) => page.all(afterSeq, limit).map(fromRow),
    verify: () => verifyChain(async (after, limit) => page.all(after, limit).map(fromRow)),
    close: async () => {
      if (closed) return;
      closed = true;
      await writer?.close();
      db.close();
    },
  };
};
