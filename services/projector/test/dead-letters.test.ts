/**
 * Dead letters of the projector as an operator handles them: `pnpm dead-letters` lists them without
 * personal data, `pnpm replay` resolves those whose events it applied and keeps those that still
 * fail; an interrupted replay resolves nothing.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { EventStore, NewEvent, StoredEvent } from '@nexo/eventstore';
import { COLLECTIONS, PROJECTOR_GROUP } from '@nexo/domain';
import { openEngines, type Engines } from '@nexo/runtime';
import {
  deadLettersReport,
  listDeadLetters,
  parseDeadLettersArgs,
  projectBatch,
  reasonLabel,
  replayReadModels,
  startProjector,
} from '../src/index.ts';

const CNS = '700000000000001';

const tempFolder = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'nexo-dead-letters-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
};

/** The engines `pnpm replay` and `pnpm dead-letters` open over a data folder, closed after the test. */
const openData = async (dataDir: string): Promise<Engines> => {
  const engines = await openEngines({ dataDir });
  let closed = false;
  onTestFinished(async () => {
    if (!closed) await engines.close();
  });
  return Object.assign(Object.create(engines) as Engines, {
    close: async () => {
      closed = true;
      await engines.close();
    },
  });
};

const submitted = (n: number): NewEvent => ({
  id: `0190a000-0000-7000-8000-${String(n).padStart(12, '0')}`,
  type: 'RecordSubmitted',
  schemaVersion: 1,
  occurredAt: '2026-01-01T00:00:00.000Z',
  sender: '2077485',
  citizenKey: `cns:${CNS}`,
  correlationId: `c-${n}`,
  data: {
    recordId: `record-${n}`,
    recordType: 'RIA',
    model: 'RIA-R',
    bundleIdentifier: { system: 'urn:test', value: `bundle-${n}` },
    citizen: { kind: 'CNS', number: CNS },
    documentDate: '2026-01-01',
    contentHash: `hash-${n}`,
    document: { resourceType: 'Bundle', n },
    summary: { recordType: 'RIA', occurrence: '2025-01-01' },
  },
});

/** Accepted, but its data lacks everything the projector needs: it fails however often it is tried. */
const poison = (n: number): NewEvent => ({ ...submitted(n), data: {} });

const appendEach = async (store: EventStore, events: readonly NewEvent[]): Promise<StoredEvent[]> => {
  const stored: StoredEvent[] = [];
  for (const [i, event] of events.entries())
    stored.push(...(await store.append(`submission-${i + 1}`, 0, [event])).events);
  return stored;
};

/**
 * The projector group over the log, as the live projector runs it, except that it throws on the
 * `broken` events (a projector bug, fixed since), quoting the citizen as careless code would.
 */
const runBrokenProjector = async (engines: Engines, broken: readonly StoredEvent[]): Promise<void> => {
  const ids = new Set(broken.map((event) => event.id));
  const subscription = await engines.bus.subscribe(
    PROJECTOR_GROUP,
    async (events) => {
      const bad = events.find((event) => ids.has(event.id));
      if (bad) throw new Error(`cannot project the record of ${bad.citizenKey}`);
      await projectBatch(engines.readStore, events, PROJECTOR_GROUP);
    },
    { maxAttempts: 2, retryDelayMs: 1 },
  );
  await subscription.caughtUp();
  await subscription.stop();
};

/** A log of five events: the second hit the projector bug, the fourth is poison. */
const withDeadLetters = async () => {
  const dataDir = tempFolder();
  const engines = await openData(dataDir);
  const events = await appendEach(engines.store, [
    submitted(1),
    submitted(2),
    submitted(3),
    poison(4),
    submitted(5),
  ]);
  await runBrokenProjector(engines, [events[1]!]);
  return { dataDir, engines, events, fixed: events[1]!, failing: events[3]! };
};

const positionsOf = async (engines: Engines): Promise<number[]> =>
  (await engines.deadLetters(PROJECTOR_GROUP)).map((letter) => letter.event.position);

/** A replay killed after its second read of the log: the read models stay marked as being rebuilt. */
const interruptReplay = async (engines: Engines): Promise<void> => {
  let reads = 0;
  const dying: EventStore = Object.assign(Object.create(engines.store) as EventStore, {
    readAll: async (after: number, limit: number) => {
      if (++reads > 2) throw new Error('killed');
      return engines.store.readAll(after, limit);
    },
  });
  await expect(replayReadModels({ ...bound(engines), store: dying }, { batchSize: 2 })).rejects.toThrow(
    'killed',
  );
};

describe('pnpm dead-letters and pnpm replay', () => {
  it('lists the dead letters without personal data: position, event id, type, stream, failed-at, the reason’s class', async () => {
    const { engines, fixed, failing } = await withDeadLetters();
    const letters = await engines.deadLetters(PROJECTOR_GROUP);
    expect(letters.map((letter) => letter.event.id)).toEqual([fixed.id, failing.id]);
    // The stored reason quotes the citizen; what is printed does not.
    expect(letters[0]?.reason).toBe(`Error: cannot project the record of cns:${CNS}`);

    const report = await listDeadLetters(engines, PROJECTOR_GROUP);
    expect(report).not.toContain(CNS);
    expect(report).not.toContain('cannot project');
    const lines = report.split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'Consumer group projector gave up on 2 events (dead letters; the events stay in the log).',
      '',
      'position  event id                              type             stream        failed at                 reason',
    ]);
    const row = (event: StoredEvent, failedAt: string, reason: string) =>
      new RegExp(
        `^${event.position} +${event.id} {2}RecordSubmitted {2}${event.stream} {2}${failedAt} {2}${reason}$`,
      );
    expect(lines[3]).toMatch(row(fixed, letters[0]!.failedAt, 'Error'));
    expect(lines[4]).toMatch(row(failing, letters[1]!.failedAt, 'TypeError'));
    expect(lines.slice(5)).toEqual([
      '',
      "Reasons show the error's code or class only: the full message may quote the event's data and stays with the letter.",
      'Once the cause is fixed, `pnpm replay` (hub stopped) rebuilds the read models and resolves the letters whose events it applied.',
      '',
    ]);
    expect(await listDeadLetters(engines, 'audit')).toBe('Consumer group audit has no dead letters.\n');
  });

  it('a replay resolves the dead letters whose events it applied, keeps those that still fail, and counts what remains', async () => {
    const { engines, fixed, failing } = await withDeadLetters();
    expect(await engines.deadLetterCount(PROJECTOR_GROUP)).toBe(2);
    expect(await engines.readStore.get(COLLECTIONS.records, 'record-2')).toBeUndefined();

    const result = await replayReadModels(engines, { batchSize: 2 });
    expect(result).toEqual({
      position: 5,
      head: 5,
      events: 5,
      stillFailing: [failing.position],
      resolved: 1,
      remaining: 1,
    });
    expect(await positionsOf(engines)).toEqual([failing.position]);
    expect(await engines.deadLetterCount(PROJECTOR_GROUP)).toBe(1);
    // The fixed event is in the read models, with the events around it; the poison one is not.
    expect((await engines.readStore.get(COLLECTIONS.records, 'record-2'))?.body).toMatchObject({
      recordId: 'record-2',
    });
    expect(await engines.readStore.get(COLLECTIONS.records, 'record-5')).toBeDefined();
    expect(await engines.readStore.getCheckpoint(PROJECTOR_GROUP)).toBe(String(5));
    expect(fixed.position).toBe(2);

    // Again: nothing left to resolve, the poison event still fails.
    expect(await replayReadModels(engines)).toMatchObject({ resolved: 0, remaining: 1, stillFailing: [4] });
  });

  it('an interrupted replay resolves nothing', async () => {
    const { engines } = await withDeadLetters();
    await interruptReplay(engines);
    expect(await positionsOf(engines)).toEqual([2, 4]);
  });

  it('a projector starting on the read models of an interrupted replay finishes it as the replay would', async () => {
    const { engines } = await withDeadLetters();
    await interruptReplay(engines);
    // The poison event still fails: the start leaves it out, as the live group did, instead of stopping.
    const subscription = await startProjector({
      bus: engines.bus,
      store: engines.store,
      readStore: engines.readStore,
      deadLetters: engines,
    });
    await subscription.caughtUp();
    await subscription.stop();
    expect(await positionsOf(engines)).toEqual([4]);
    expect(await engines.readStore.get(COLLECTIONS.records, 'record-2')).toBeDefined();
    expect(await engines.readStore.get(COLLECTIONS.records, 'record-5')).toBeDefined();
  });

  it('an event that fails in the replay without being a dead letter stops it, as before, and nothing is resolved', async () => {
    const { engines } = await withDeadLetters();
    // Appended after the group ran: it never failed there, so the rebuild may not leave it out.
    await engines.store.append('submission-6', 0, [poison(6)]);
    await expect(replayReadModels(engines)).rejects.toThrow(TypeError);
    expect(await positionsOf(engines)).toEqual([2, 4]);
  });

  it('reads its arguments, and shows of a reason only a code or an error class', () => {
    expect(parseDeadLettersArgs([])).toEqual({ ok: true, group: 'projector' });
    expect(parseDeadLettersArgs(['--group', 'audit'])).toEqual({ ok: true, group: 'audit' });
    expect(parseDeadLettersArgs(['--group=audit'])).toEqual({ ok: true, group: 'audit' });
    expect(parseDeadLettersArgs(['--group', 'a b'])).toEqual({
      ok: false,
      problem: '--group takes a consumer group name',
    });
    expect(parseDeadLettersArgs(['--all'])).toMatchObject({
      ok: false,
      problem: expect.stringContaining('--all'),
    });
    expect(parseDeadLettersArgs(['projector'])).toMatchObject({ ok: false });

    expect(
      [
        'NEXO_ERR_REVISION_CONFLICT: citizen-records/cns:700000000000001 is at revision 3, expected 2',
        'SQLITE_CONSTRAINT_UNIQUE: UNIQUE constraint failed: documents.id',
        "TypeError: Cannot read properties of undefined (reading 'recordId')",
        'Error: cannot apply 0190a000',
        // Written before reasons named the class: a bare message, which may start with anything.
        'Maria da Silva: no such citizen',
        'MARIA: no such citizen',
        'cannot apply 0190a000',
        '',
      ].map(reasonLabel),
    ).toEqual([
      'NEXO_ERR_REVISION_CONFLICT',
      'SQLITE_CONSTRAINT_UNIQUE',
      'TypeError',
      'Error',
      'uncoded error',
      'uncoded error',
      'uncoded error',
      'uncoded error',
    ]);
    expect(deadLettersReport('projector', [], 1).split('\n').slice(0, 3)).toEqual([
      'Consumer group projector gave up on 1 event (dead letters; the events stay in the log).',
      '',
      '1 more counted that cannot be listed: their message is not an event.',
    ]);
  });

  it('as commands: lists, replays and lists again over a data folder, with their exit codes', async () => {
    const dataDir = tempFolder();
    const engines = await openData(dataDir);
    const [, fixed] = await appendEach(engines.store, [submitted(1), submitted(2)]);
    await runBrokenProjector(engines, [fixed!]);
    await engines.close();

    const run = (script: string, args: string[] = []): Promise<Ran> =>
      new Promise((resolve) => {
        const file = fileURLToPath(new URL(`../src/${script}`, import.meta.url));
        execFile(
          process.execPath,
          ['--import', 'tsx', file, ...args],
          { encoding: 'utf8', env: { ...process.env, NEXO_DATA_DIR: dataDir, LOG_LEVEL: 'warn' } },
          (error, stdout, stderr) => resolve({ status: error ? Number(error.code) : 0, stdout, stderr }),
        );
      });
    // A usage error reads no engine: it runs beside the first listing.
    const [listed, wrong] = await Promise.all([
      run('dead-letters-cli.ts'),
      run('dead-letters-cli.ts', ['--grupo', 'projector']),
    ]);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain('usage: pnpm dead-letters [--group <consumer group>]');
    expect([listed.status, listed.stderr]).toEqual([0, '']);
    expect(listed.stdout).toContain('Consumer group projector gave up on 1 event');
    expect(listed.stdout).toMatch(
      new RegExp(`\\n2 +${fixed!.id} {2}RecordSubmitted {2}submission-2 {2}\\S+ {2}Error\\n`),
    );
    expect(listed.stdout).not.toContain(CNS);

    const replayed = await run('replay-cli.ts');
    expect(replayed.status).toBe(0);
    expect(replayed.stderr).toContain('\ndead letters of projector: 1 resolved, 0 remain\n');

    const none = await run('dead-letters-cli.ts', ['--group', 'projector']);
    expect([none.status, none.stdout, none.stderr]).toEqual([
      0,
      'Consumer group projector has no dead letters.\n',
      '',
    ]);
  });
});

interface Ran {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The engines' methods bound to them, so that a test can replace one of them. */
const bound = (engines: Engines) => ({
  store: engines.store,
  readStore: engines.readStore,
  deadLetters: (group: string) => engines.deadLetters(group),
  deadLetterCount: (group: string) => engines.deadLetterCount(group),
  resolveDeadLetters: (group: string, positions: readonly number[]) =>
    engines.resolveDeadLetters(group, positions),
});
