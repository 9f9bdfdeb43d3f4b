import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SLOW_READ_MICROS, routedReads, type RoutedReads } from '../src/index.ts';

// A reader thread answers `where` with 'thread'; the calling thread's read answers 'inline'. So each
// answer says where its read ran.
const QUERIES = { where: "SELECT 'thread' AS ran" } as const;
type Row = { readonly ran: string };
const inline = (): Row[] => [{ ran: 'inline' }];

describe('read routing', () => {
  let dir: string;
  let reads: RoutedReads<'where'> | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nexo-routing-'));
    new Database(join(dir, 'file.db')).close();
  });

  afterEach(async () => {
    await reads?.close();
    reads = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  /** A clock on which each read on the calling thread takes `readMicros`. */
  const clockWithReadsOf = (readMicros: { current: number }) => {
    let ms = 0;
    let started = false;
    return () => {
      // Called once before and once after each read on the calling thread.
      if (started) ms += readMicros.current / 1000;
      started = !started;
      return ms;
    };
  };

  const open = (options: { threads?: number; file?: string; slowReadMicros?: number; now?: () => number }) =>
    (reads = routedReads({
      file: options.file ?? join(dir, 'file.db'),
      threads: options.threads ?? 2,
      queries: QUERIES,
      ...(options.slowReadMicros === undefined ? {} : { slowReadMicros: options.slowReadMicros }),
      ...(options.now === undefined ? {} : { now: options.now }),
    }));

  const whereNext = async (routed: RoutedReads<'where'>): Promise<string> =>
    ((await routed.all<Row>('where', [], inline))[0] as Row).ran;

  it('reads on the calling thread while its reads are quick', async () => {
    const routed = open({ now: clockWithReadsOf({ current: 20 }) });
    for (let i = 0; i < 200; i++) expect(await whereNext(routed)).toBe('inline');
  });

  it('moves reads to a thread once most recent ones were slow, and back once the thread finds them quick', async () => {
    const readMicros = { current: 5_000 };
    const routed = open({ now: clockWithReadsOf(readMicros) });
    const before: string[] = [];
    while (before.length < 50 && before.at(-1) !== 'thread') before.push(await whereNext(routed));
    expect(before.at(-1)).toBe('thread');
    // One slow read is not enough: the first few still ran on the calling thread.
    expect(before.filter((ran) => ran === 'inline').length).toBeGreaterThan(5);
    // The thread times its own read, a few µs: the share of slow reads falls, and reads come back.
    readMicros.current = 20;
    const after: string[] = [];
    while (after.length < 200 && after.at(-1) !== 'inline') after.push(await whereNext(routed));
    expect(after.at(-1)).toBe('inline');
    expect(after.length).toBeGreaterThan(1);
  });

  it('keeps reads on the calling thread when one now and then is slow (a pause of the OS)', async () => {
    let reads = 0;
    let ms = 0;
    let started = false;
    // Every fourth read takes 50 ms, the others 20 µs.
    const now = (): number => {
      if (started) ms += ++reads % 4 === 0 ? 50 : 0.02;
      started = !started;
      return ms;
    };
    const routed = open({ now });
    for (let i = 0; i < 200; i++) expect(await whereNext(routed)).toBe('inline');
  });

  it('reads every time on a thread when any read counts as slow (0 µs)', async () => {
    const routed = open({ slowReadMicros: 0 });
    for (let i = 0; i < 20; i++) expect(await whereNext(routed)).toBe('thread');
  });

  it('reads on the calling thread, however slow, without threads or for an in-memory file', async () => {
    for (const options of [{ threads: 0 }, { file: ':memory:' }]) {
      const routed = open({ ...options, now: clockWithReadsOf({ current: 50 * SLOW_READ_MICROS }) });
      for (let i = 0; i < 20; i++) expect(await whereNext(routed)).toBe('inline');
      await routed.close();
    }
  });

  it('fails a read on the calling thread as the read failed, and keeps routing', async () => {
    const routed = open({});
    await expect(
      routed.all('where', [], () => {
        throw new Error('disk I/O error');
      }),
    ).rejects.toThrow('disk I/O error');
    expect(await whereNext(routed)).toBe('inline');
  });

  it('refuses a negative line', () => {
    expect(() => open({ slowReadMicros: -1 })).toThrow(RangeError);
  });
});
