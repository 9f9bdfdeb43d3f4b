/** The embedded log keeps `data.document` (a posted Bundle) in a column of its own, invisibly to readers. */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import { newEvent, removeTempDir, tempDir } from '@nexo/testkit';
import { keepJsonText, openSqliteEventStore, type SqliteEventEngine } from '../src/index.ts';

const BUNDLE = {
  resourceType: 'Bundle',
  type: 'document',
  entry: [{ resource: { resourceType: 'Composition', title: 'Registro de Imunobiológico' } }],
};

const engineOnFile = async () => {
  const dir = await tempDir();
  const file = join(dir, 'events.db');
  const engines: SqliteEventEngine[] = [];
  onTestFinished(async () => {
    for (const engine of engines) await engine.close();
    await removeTempDir(dir);
  });
  return {
    file,
    open: (options: { outbox?: boolean } = {}) => {
      const engine = openSqliteEventStore({ file, ...options });
      engines.push(engine);
      return engine;
    },
  };
};

const columns = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT data, document FROM events ORDER BY position').all() as Array<{
      data: string;
      document: string | null;
    }>;
  } finally {
    db.close();
  }
};

describe('sqlite event log: data.document in a column of its own', () => {
  it('stores the document apart, and every read gives the data back whole', async () => {
    const { file, open } = await engineOnFile();
    const engine = open({ outbox: true });
    const data = { recordId: 'r-1', document: BUNDLE, summary: { vaccine: '67' } };
    const appended = await engine.store.append('submission-1', 0, [newEvent({ data })]);
    await engine.store.append('other', 0, [
      newEvent({ data: { document: null, n: 1 } }),
      newEvent({ data: [1, 2] }),
    ]);

    const stored = columns(file);
    expect(JSON.parse(stored[0]!.data)).toEqual({ recordId: 'r-1', summary: { vaccine: '67' } });
    expect(JSON.parse(stored[0]!.document!)).toEqual(BUNDLE);
    expect(stored.slice(1).map((row) => [JSON.parse(row.data), row.document])).toEqual([
      [{ n: 1 }, 'null'],
      [[1, 2], null],
    ]);

    const [read] = await engine.store.readStream('submission-1');
    expect(read!.data).toEqual(data);
    expect(appended.events[0]!.data).toEqual(data);
    // Serialised for Kafka or a response, the document is there.
    expect(JSON.parse(JSON.stringify(read!.data))).toEqual(data);
    expect({ ...(read!.data as object) }).toEqual(data);
    const all = await engine.store.readAll(0, 10);
    expect(all.map((event) => event.data)).toEqual([data, { document: null, n: 1 }, [1, 2]]);
    expect((await engine.outbox.pending(10)).map((event) => event.data)).toEqual([
      data,
      { document: null, n: 1 },
      [1, 2],
    ]);
  });

  it('parses the document only when it is read, once, and lets a reader replace it', async () => {
    const { open } = await engineOnFile();
    const engine = open();
    await engine.store.append('submission-1', 0, [newEvent({ data: { recordId: 'r-1', document: BUNDLE } })]);
    const [event] = await engine.store.readAll(0, 1);
    const data = event!.data as { recordId: string; document: unknown };
    expect(Object.getOwnPropertyDescriptor(data, 'document')?.get).toBeTypeOf('function');
    const first = data.document;
    expect(first).toEqual(BUNDLE);
    expect(data.document).toBe(first);
    data.document = { replaced: true };
    expect(data.document).toEqual({ replaced: true });
  });

  it('opens a log written before the column existed: its rows read back whole, new rows are split', async () => {
    const { file, open } = await engineOnFile();
    const old = new Database(file);
    old.exec(`CREATE TABLE events (
      position INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, stream TEXT NOT NULL,
      version INTEGER NOT NULL, type TEXT NOT NULL, schema_version INTEGER NOT NULL,
      occurred_at TEXT NOT NULL, recorded_at TEXT NOT NULL, sender TEXT NOT NULL,
      citizen_key TEXT NOT NULL, correlation_id TEXT NOT NULL, data TEXT NOT NULL,
      UNIQUE (stream, version))`);
    const before = newEvent({ data: { recordId: 'r-0', document: BUNDLE } });
    old
      .prepare(
        `INSERT INTO events (id, stream, version, type, schema_version, occurred_at, recorded_at, sender,
           citizen_key, correlation_id, data) VALUES (?, 'submission-0', 1, ?, 1, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        before.id,
        before.type,
        before.occurredAt,
        before.occurredAt,
        before.sender,
        before.citizenKey,
        before.correlationId,
        JSON.stringify(before.data),
      );
    old.close();

    const first = open();
    const second = open(); // a second connection (the hub's projector thread) finds the column there
    await first.store.append('submission-1', 0, [newEvent({ data: { recordId: 'r-1', document: BUNDLE } })]);
    expect((await second.store.readAll(0, 10)).map((event) => event.data)).toEqual([
      { recordId: 'r-0', document: BUNDLE },
      { recordId: 'r-1', document: BUNDLE },
    ]);
    expect(columns(file).map((row) => row.document === null)).toEqual([true, false]);
  });

  it('stores a document as the text it was parsed from when that text was kept, and only then', async () => {
    const { file, open } = await engineOnFile();
    const engine = open();
    // As a sender writes it: a space after each colon, a decimal with its trailing zero, é escaped.
    const posted =
      '{"resourceType": "Bundle", "type": "document", "total": 30.50, "title": "Imuniza\\u00e7\\u00e3o"}';
    const pretty = JSON.stringify(JSON.parse(posted), null, 2);
    const fromPosted = JSON.parse(posted) as unknown;
    const fromPretty = JSON.parse(pretty) as unknown;
    keepJsonText(fromPosted, posted);
    keepJsonText(fromPretty, pretty);
    await engine.store.append('submission-1', 0, [
      newEvent({ data: { recordId: 'r-1', document: fromPosted } }),
      newEvent({ data: { recordId: 'r-2', document: fromPretty } }),
      newEvent({ data: { recordId: 'r-3', document: JSON.parse(posted) as unknown } }),
    ]);

    const compact = JSON.stringify(fromPosted);
    expect(compact).not.toBe(posted);
    // The posted text byte for byte; a pretty-printed one, and a value never kept, serialised compact.
    expect(columns(file).map((row) => row.document)).toEqual([posted, compact, compact]);
    const read = await engine.store.readStream('submission-1');
    expect(read.map((event) => (event.data as { document: unknown }).document)).toEqual([
      fromPosted,
      fromPosted,
      fromPosted,
    ]);
  });
});
