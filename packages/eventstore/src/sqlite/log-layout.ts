/**
 * The `events` table, and the upgrade of a log written with an earlier layout.
 *
 * Layout 1 indexed streams by name with `UNIQUE (stream, version)`. Layout 2 indexes them by
 * `stream_key` (stream-key.ts) and keeps the Bundle of a submission in `document`
 * (detached-document.ts). Versions stay unique per stream because the writer reads a stream's last
 * version inside the write transaction that appends to it (group-commit.ts), and SQLite admits one
 * write transaction at a time, across processes too. The constraint was a second guard that cost
 * a random index leaf per new stream. ADR 0014 records the decision.
 */
import type { SqliteDatabase } from './database.ts';
import { streamKey } from './stream-key.ts';

const eventsTable = (name: string): string => `
CREATE TABLE IF NOT EXISTS ${name} (
  position       INTEGER PRIMARY KEY AUTOINCREMENT,
  id             TEXT    NOT NULL UNIQUE,
  stream         TEXT    NOT NULL,
  stream_key     INTEGER NOT NULL,
  version        INTEGER NOT NULL,
  type           TEXT    NOT NULL,
  schema_version INTEGER NOT NULL,
  occurred_at    TEXT    NOT NULL,
  recorded_at    TEXT    NOT NULL,
  sender         TEXT    NOT NULL,
  citizen_key    TEXT    NOT NULL,
  correlation_id TEXT    NOT NULL,
  data           TEXT    NOT NULL,
  document       TEXT
)`;

export const EVENTS_SCHEMA = `${eventsTable('events')};
CREATE INDEX IF NOT EXISTS events_by_stream ON events (stream_key, version);`;

/** Rows copied per write transaction: bounds the WAL an upgrade grows (about 100 MB). */
const UPGRADE_BATCH = 50_000;

const columnsOf = (db: SqliteDatabase, table: string): Set<string> =>
  new Set((db.pragma(`table_info(${table})`) as Array<{ name: string }>).map((column) => column.name));

/**
 * Brings a log of layout 1 to layout 2, copying its rows in batches into `events_next` (positions,
 * ids and versions unchanged), then swapping the tables in one transaction. A copy cut short
 * resumes where it stopped on the next open; until the swap, the old table is the log. Needs
 * free disk for a second copy of the table while it runs. A new or upgraded log is left alone.
 */
export const upgradeEventsTable = (db: SqliteDatabase, report: (message: string) => void): void => {
  const upgraded = (): boolean => {
    const columns = columnsOf(db, 'events');
    return columns.size === 0 || columns.has('stream_key');
  };
  if (upgraded()) return;
  db.function('nexo_stream_key', { deterministic: true }, (stream: unknown) => streamKey(String(stream)));
  const documentColumn = columnsOf(db, 'events').has('document') ? 'document' : 'NULL';
  const total = db.prepare<[], number>('SELECT COUNT(*) FROM events').pluck().get() ?? 0;
  report(`event log: upgrading ${total} events to layout 2 (stream keys, ADR 0014)`);
  db.exec(eventsTable('events_next'));
  const copy = (limit: number): number => {
    const after = db.prepare<[], number>('SELECT COALESCE(MAX(position), 0) FROM events_next').pluck().get();
    return db
      .prepare<[number, number]>(
        `INSERT INTO events_next (position, id, stream, stream_key, version, type, schema_version,
           occurred_at, recorded_at, sender, citizen_key, correlation_id, data, document)
         SELECT position, id, stream, nexo_stream_key(stream), version, type, schema_version,
           occurred_at, recorded_at, sender, citizen_key, correlation_id, data, ${documentColumn}
         FROM events WHERE position > ? ORDER BY position LIMIT ?`,
      )
      .run(after ?? 0, limit).changes;
  };
  // Each batch checks first: another process opening the log may have finished the upgrade.
  const copyBatch = db.transaction((): number => (upgraded() ? 0 : copy(UPGRADE_BATCH)));
  for (let done = 0, copied = copyBatch.immediate(); copied > 0; copied = copyBatch.immediate()) {
    done += copied;
    if (copied === UPGRADE_BATCH) report(`event log: ${done}/${total} events copied`);
  }
  db.transaction(() => {
    if (upgraded()) return;
    // Whatever another process appended meanwhile, then the swap; AUTOINCREMENT keeps counting
    // from the highest position the old table ever gave.
    while (copy(UPGRADE_BATCH) > 0);
    const sequence = db
      .prepare<[], number>("SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = 'events'")
      .pluck()
      .get();
    db.exec('DROP TABLE events; ALTER TABLE events_next RENAME TO events;');
    db.prepare("UPDATE sqlite_sequence SET seq = MAX(seq, ?) WHERE name = 'events'").run(sequence ?? 0);
    db.exec('CREATE INDEX IF NOT EXISTS events_by_stream ON events (stream_key, version)');
  }).immediate();
  report(`event log: upgraded, ${total} events`);
};
