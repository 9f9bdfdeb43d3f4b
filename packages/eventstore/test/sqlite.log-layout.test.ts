/** Layout 2 of the embedded log: streams indexed by a key, and the upgrade of a layout-1 log. */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import { newEvent, removeTempDir, tempDir } from '@nexo/testkit';
import { EVENTSTORE_ERRORS, openSqliteEventStore, type SqliteEventEngine } from '../src/index.ts';
import { streamKey } from '../src/sqlite/stream-key.ts';
import { writeLayout1Log, type Layout1Row } from './layout-1-log.ts';

const onFile = async () => {
  const dir = await tempDir();
  const file = join(dir, 'events.db');
  const engines: SqliteEventEngine[] = [];
  onTestFinished(async () => {
    for (const engine of engines) await engine.close();
    await removeTempDir(dir);
  });
  const open = (outbox = false) => {
    const engine = openSqliteEventStore({ file, outbox });
    engines.push(engine);
    return engine;
  };
  const inspect = <T>(read: (db: Database.Database) => T): T => {
    const db = new Database(file, { readonly: true });
    try {
      return read(db);
    } finally {
      db.close();
    }
  };
  return { file, open, inspect };
};

/** Three streams of a layout-1 log: a submission with a replacement, two single-event ones. */
const layout1Rows = (): Layout1Row[] => [
  {
    stream: 'submission-a',
    version: 1,
    event: newEvent({ data: { n: 1, document: { resourceType: 'Bundle' } } }),
  },
  { stream: 'establishment-9990011', version: 1, event: newEvent({ data: { n: 2 } }) },
  { stream: 'submission-a', version: 2, event: newEvent({ data: { n: 3 } }) },
  { stream: 'resend-x', version: 1, event: newEvent({ data: { n: 4 } }) },
];

describe('sqlite event log layout', () => {
  it('upgrades a layout-1 log on open: same events, positions and versions; appends go on after them', async () => {
    const { file, open, inspect } = await onFile();
    const rows = layout1Rows();
    writeLayout1Log(file, rows, { outbox: [3, 4] });
    const engine = open(true);

    const all = await engine.store.readAll(0, 100);
    expect(all.map((e) => [e.position, e.id, e.stream, e.version, e.data])).toEqual(
      rows.map((row, i) => [i + 1, row.event.id, row.stream, row.version, row.event.data]),
    );
    expect((await engine.store.readStream('submission-a')).map((e) => e.version)).toEqual([1, 2]);
    expect((await engine.outbox.pending(10)).map((e) => e.position)).toEqual([3, 4]);
    await expect(engine.store.append('submission-a', 1, [newEvent()])).rejects.toMatchObject({
      code: EVENTSTORE_ERRORS.concurrency,
    });
    const appended = await engine.store.append('submission-a', 2, [newEvent()]);
    expect(appended.events.map((e) => [e.version, e.position])).toEqual([[3, 5]]);

    // The old unique index is gone; the key index is there; opening again changes nothing.
    const indexes = () =>
      inspect((db) => (db.pragma('index_list(events)') as Array<{ name: string }>).map((i) => i.name));
    expect(indexes()).toContain('events_by_stream');
    expect(indexes().filter((name) => name.startsWith('sqlite_autoindex_events'))).toHaveLength(1); // id only
    const again = open(true);
    expect((await again.store.readAll(0, 100)).map((e) => e.id)).toEqual([
      ...rows.map((r) => r.event.id),
      appended.events[0]!.id,
    ]);
    expect(
      inspect((db) => db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'events_next'").get()),
    ).toEqual({ n: 0 });
  });

  it('finishes an upgrade cut short, without copying a row twice', async () => {
    const { file, open } = await onFile();
    const rows = layout1Rows();
    writeLayout1Log(file, rows, { documentColumn: true });
    // An upgrade that stopped after copying the first two rows.
    const db = new Database(file);
    db.function('nexo_stream_key', (stream: unknown) => streamKey(String(stream)));
    db.exec(`CREATE TABLE events_next (
      position INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, stream TEXT NOT NULL,
      stream_key INTEGER NOT NULL, version INTEGER NOT NULL, type TEXT NOT NULL, schema_version INTEGER NOT NULL,
      occurred_at TEXT NOT NULL, recorded_at TEXT NOT NULL, sender TEXT NOT NULL, citizen_key TEXT NOT NULL,
      correlation_id TEXT NOT NULL, data TEXT NOT NULL, document TEXT);
      INSERT INTO events_next SELECT position, id, stream, nexo_stream_key(stream), version, type, schema_version,
        occurred_at, recorded_at, sender, citizen_key, correlation_id, data, document FROM events WHERE position <= 2;`);
    db.close();

    const engine = open();
    expect((await engine.store.readAll(0, 100)).map((e) => e.id)).toEqual(rows.map((r) => r.event.id));
    expect((await engine.store.append('resend-y', 0, [newEvent()])).events[0]!.position).toBe(5);
  });

  it('compares stream names, not only keys: a row sharing a key never joins another stream', async () => {
    const { file, open } = await onFile();
    const engine = open();
    await engine.store.append('submission-x', 0, [newEvent(), newEvent()]);
    // A row whose stream's key equals submission-x's, as a colliding name's would.
    const db = new Database(file);
    const intruder = newEvent();
    db.prepare(
      `INSERT INTO events (id, stream, stream_key, version, type, schema_version, occurred_at, recorded_at,
         sender, citizen_key, correlation_id, data) VALUES (?, 'submission-y', ?, 7, 't', 1, '', '', '', '', '', '{}')`,
    ).run(intruder.id, streamKey('submission-x'));
    db.close();

    expect((await engine.store.readStream('submission-x')).map((e) => e.version)).toEqual([1, 2]);
    const appended = await engine.store.append('submission-x', 2, [newEvent()]);
    expect(appended.version).toBe(3);
  });
});
