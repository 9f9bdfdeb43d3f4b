import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ReaderThreadError, ReaderUnavailableError, openReaderPool, type ReaderPool } from '../src/index.ts';

const QUERIES = {
  byKey: 'SELECT key, value FROM entries WHERE key = ?',
  count: 'SELECT COUNT(*) AS n FROM entries',
  // Prepares, then fails on a malformed JSON parameter.
  malformed: "SELECT key, value FROM entries WHERE key = ? AND value = json_extract(?, '$.a')",
  // Does not even prepare.
  unknownColumn: 'SELECT missing_column FROM entries',
} as const;
type Query = keyof typeof QUERIES;

describe('reader pool', () => {
  let dir: string;
  let writer: Database.Database;
  let pool: ReaderPool<Query> | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nexo-readers-'));
    writer = new Database(join(dir, 'file.db'));
    writer.pragma('journal_mode = WAL');
    writer.exec('CREATE TABLE entries (key TEXT PRIMARY KEY, value INTEGER NOT NULL)');
  });

  afterEach(async () => {
    await pool?.close();
    pool = undefined;
    writer.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const open = (threads = 2): ReaderPool<Query> =>
    (pool = openReaderPool({
      file: join(dir, 'file.db'),
      threads,
      queries: QUERIES,
      pragmas: ['busy_timeout = 5000'],
    }));

  it('sees every write committed before the read was issued', async () => {
    const readers = open();
    const insert = writer.prepare('INSERT INTO entries (key, value) VALUES (?, ?)');
    for (let value = 1; value <= 50; value++) {
      insert.run(`k${value}`, value);
      await expect(readers.all('count', [])).resolves.toEqual([{ n: value }]);
    }
  });

  it('answers each of many concurrent reads with its own rows', async () => {
    const insert = writer.prepare('INSERT INTO entries (key, value) VALUES (?, ?)');
    writer.transaction(() => {
      for (let value = 0; value < 500; value++) insert.run(`k${value}`, value);
    })();
    const readers = open(3);
    const keys = Array.from({ length: 2_000 }, (_, i) => `k${(i * 7) % 600}`);
    const answers = await Promise.all(
      keys.map((key) => readers.all<{ key: string; value: number }>('byKey', [key])),
    );
    answers.forEach((rows, i) => {
      const value = Number((keys[i] as string).slice(1));
      expect(rows).toEqual(value < 500 ? [{ key: keys[i], value }] : []);
    });
  });

  it('fails only the read whose statement fails, and goes on serving', async () => {
    writer.prepare('INSERT INTO entries (key, value) VALUES (?, ?)').run('a', 1);
    const readers = open(1);
    const [malformed, unprepared, fine] = await Promise.allSettled([
      readers.all('malformed', ['a', '[1']),
      readers.all('unknownColumn', []),
      readers.all('byKey', ['a']),
    ]);
    for (const failed of [malformed, unprepared]) {
      expect(failed.status).toBe('rejected');
      expect((failed as PromiseRejectedResult).reason).toBeInstanceOf(ReaderThreadError);
      // A failed statement is a fault, not a moment of unavailability: no 503 for it.
      expect((failed as PromiseRejectedResult).reason).not.toBeInstanceOf(ReaderUnavailableError);
    }
    expect((malformed as PromiseRejectedResult).reason.message).toMatch(/malformed JSON/);
    expect((unprepared as PromiseRejectedResult).reason.message).toMatch(/no such column/);
    expect(fine).toEqual({ status: 'fulfilled', value: [{ key: 'a', value: 1 }] });
  });

  it('lets the reads in flight finish on close, and refuses reads after it', async () => {
    writer.prepare('INSERT INTO entries (key, value) VALUES (?, ?)').run('a', 1);
    const readers = open();
    const inFlight = Array.from({ length: 20 }, () => readers.all('byKey', ['a']));
    const closed = readers.close();
    await expect(Promise.all(inFlight)).resolves.toHaveLength(20);
    await closed;
    await expect(readers.all('byKey', ['a'])).rejects.toThrow('closed');
    await expect(readers.all('byKey', ['a'])).rejects.toMatchObject({ statusCode: 503 });
  });

  it('returns from close() in a process with nothing else to keep it alive, reads in flight answered', () => {
    const script = fileURLToPath(new URL('./fixtures/close-with-reads-in-flight.ts', import.meta.url));
    const run = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('closed, 50 reads answered');
  });

  it('refuses a thread count that is not a positive integer', () => {
    expect(() => open(0)).toThrow(RangeError);
  });
});
