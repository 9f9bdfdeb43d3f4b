import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OFFLOAD_ABOVE_MICROS, routedReads, type RoutedReads } from '../src/index.ts';

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

  const open = (options: {
    threads?: number;
    file?: string;
    offloadAboveMicros?: number;
    now?: () => number;
  }) =>
    (reads = routedReads({
      file: options.file ?? join(dir, 'file.db'),
      threads: options.threads ?? 2,
      queries: QUERIES,
      ...(options.offloadAboveMicros === undefined ? {} : { offloadAboveMicros: options.offloadAboveMicros }),
      ...(options.now === undefined ? {} : { now: options.now }),
    }));

  const whereNext = async (routed: RoutedReads<'where'>): Promise<string> =>
    ((await routed.all<Row>('where', [], inline))[0] as Row).ran;

  it('reads on the calling thread while its reads are quick', async () => {
    const routed = open({ now: clockWithReadsOf({ current: 20 }) });
    for (let i = 0; i < 200; i++) expect(await whereNext(routed)).toBe('inline');
  });

  it('moves reads to a thread once they are slow, and back once the thread finds them quick', async () => {
    const readMicros = { current: 5_000 };
    const routed = open({ now: clockWithReadsOf(readMicros) });
    expect(await whereNext(routed)).toBe('inline');
    // One read of 5 ms puts the average above the line: the next read waits on a thread.
    expect(await whereNext(routed)).toBe('thread');
    // The thread times its own read, a few µs: the average falls, and reads come back.
    readMicros.current = 20;
    const places: string[] = [];
    while (places.length < 200 && places.at(-1) !== 'inline') places.push(await whereNext(routed));
    expect(places.at(-1)).toBe('inline');
    expect(places.length).toBeGreaterThan(1);
  });

  it('reads every time on a thread when told to offload from 0 µs', async () => {
    const routed = open({ offloadAboveMicros: 0 });
    for (let i = 0; i < 20; i++) expect(await whereNext(routed)).toBe('thread');
  });

  it('reads on the calling thread, however slow, without threads or for an in-memory file', async () => {
    for (const options of [{ threads: 0 }, { file: ':memory:' }]) {
      const routed = open({ ...options, now: clockWithReadsOf({ current: 50 * OFFLOAD_ABOVE_MICROS }) });
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

  it('counts the reads that ran on the calling thread and those that ran on a thread', async () => {
    const quick = open({ now: clockWithReadsOf({ current: 20 }) });
    expect(quick.counts()).toEqual({ inline: 0, thread: 0 });
    for (let i = 0; i < 5; i++) await whereNext(quick);
    expect(quick.counts()).toEqual({ inline: 5, thread: 0 });
    await quick.close();

    const offloaded = open({ offloadAboveMicros: 0 });
    for (let i = 0; i < 5; i++) await whereNext(offloaded);
    expect(offloaded.counts()).toEqual({ inline: 0, thread: 5 });
    await offloaded.close();

    // One slow read on the calling thread sends the next one to a thread.
    const slow = open({ now: clockWithReadsOf({ current: 5_000 }) });
    expect([await whereNext(slow), await whereNext(slow)]).toEqual(['inline', 'thread']);
    expect(slow.counts()).toEqual({ inline: 1, thread: 1 });
  });

  it('counts a read that failed where it ran', async () => {
    const routed = open({});
    await expect(
      routed.all('where', [], () => {
        throw new Error('disk I/O error');
      }),
    ).rejects.toThrow('disk I/O error');
    expect(routed.counts()).toEqual({ inline: 1, thread: 0 });
  });

  it('refuses a negative line', () => {
    expect(() => open({ offloadAboveMicros: -1 })).toThrow(RangeError);
  });
});
