import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { GENESIS_HASH, chainEntry, verifyChain } from './chain.ts';
import type { AuditEntry, AuditEvent, AuditLog } from './port.ts';

/**
 * The embedded audit log: its own SQLite file (WAL, `synchronous=FULL`), one row per entry.
 * Triggers refuse UPDATE and DELETE, so the application cannot rewrite history; someone with the
 * file can, and `verify` then names the first broken link. Appends of one tick share a
 * transaction (group commit); the chain's head is read inside that IMMEDIATE transaction, so two
 * processes appending to the same file still build one chain.
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

interface Pending {
  readonly event: AuditEvent;
  readonly resolve: (entry: AuditEntry) => void;
  readonly reject: (err: unknown) => void;
}

/** `readOnly` opens an existing file without changing it (what `audit:verify` does). */
export const openSqliteAuditLog = (options: {
  readonly file: string;
  readonly readOnly?: boolean;
}): AuditLog => {
  const readOnly = options.readOnly === true;
  if (!readOnly && options.file !== ':memory:') mkdirSync(dirname(options.file), { recursive: true });
  const db = new Database(options.file, { readonly: readOnly, fileMustExist: readOnly });
  db.pragma('busy_timeout = 5000');
  if (!readOnly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(SCHEMA);
  }
  const head = db.prepare<[], { seq: number; hash: string }>(
    'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1',
  );
  const insert = db.prepare(
    `INSERT INTO audit_log (seq, at, actor_kind, actor_id, origin_address, origin_establishment, action,
       resource, outcome, status, reason, correlation_id, prev_hash, hash)
     VALUES (@seq, @at, @actorKind, @actorId, @address, @establishment, @action, @resource, @outcome,
       @status, @reason, @correlationId, @prevHash, @hash)`,
  );
  const page = db.prepare<[number, number], Row>(
    'SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?',
  );

  const appendAll = db.transaction((events: readonly AuditEvent[]): AuditEntry[] => {
    const last = head.get();
    let seq = last?.seq ?? 0;
    let prevHash = last?.hash ?? GENESIS_HASH;
    return events.map((event) => {
      const entry = chainEntry(++seq, prevHash, event);
      prevHash = entry.hash;
      insert.run({
        seq: entry.seq,
        at: entry.at,
        actorKind: entry.actor.kind,
        actorId: entry.actor.id,
        address: entry.origin.address,
        establishment: entry.origin.establishment ?? null,
        action: entry.action,
        resource: entry.resource ?? null,
        outcome: entry.outcome,
        status: entry.status,
        reason: entry.reason ?? null,
        correlationId: entry.correlationId,
        prevHash: entry.prevHash,
        hash: entry.hash,
      });
      return entry;
    });
  });

  let queue: Pending[] = [];
  let closed = false;
  let inFlight: Promise<void> = Promise.resolve();
  const flush = () => {
    const batch = queue;
    queue = [];
    try {
      const entries = appendAll.immediate(batch.map((p) => p.event));
      batch.forEach((p, i) => p.resolve(entries[i]!));
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  };

  return {
    append: (event) => {
      if (closed || readOnly) return Promise.reject(new Error('the audit log is closed or read-only'));
      return new Promise<AuditEntry>((resolve, reject) => {
        queue.push({ event, resolve, reject });
        if (queue.length === 1) inFlight = new Promise<void>((done) => setImmediate(() => done(flush())));
      });
    },
    read: async (afterSeq, limit) => page.all(afterSeq, limit).map(fromRow),
    verify: () => verifyChain(async (after, limit) => page.all(after, limit).map(fromRow)),
    close: async () => {
      if (closed) return;
      closed = true;
      await inFlight;
      db.close();
    },
  };
};
