import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleStreamCommand, openSqliteEventStore, type EventStore } from '@nexo/eventstore';
import { openSqliteReadStore, type ReadStore } from '@nexo/readstore';
import { newId } from '@nexo/runtime';
import {
  COLLECTIONS,
  CORRECTION_ACTORS,
  CORRECTION_CLAIM_TIMEOUT_MS,
  correctionEventsToAppend,
  correctionRecordStream,
  correctionStream,
  decideCorrection,
  evolveCorrection,
  initialCorrectionState,
  recordClaimed,
  type CorrectionClaimEvent,
  type CorrectionCommand,
  type CorrectionEvent,
} from '@nexo/domain';
import { openCorrectionRequest } from '../src/corrections/open-correction-request.ts';

const CITIZEN = 'cns:266764941990004';
const OTHER_CITIZEN = 'cns:203212962400006';
const START = '2026-03-02T12:00:00.000Z';
const after = (ms: number) => new Date(Date.parse(START) + ms).toISOString();
/** Openings sent at the same moment: a double click, two devices, a retry after a timeout. */
const N = 12;

const about = (recordId: string, citizenKey = CITIZEN) => ({
  recordId,
  recordType: 'RIA' as const,
  establishment: '9990011',
  citizenKey,
  message: 'The lot number on my card is wrong.',
});

describe('opening a correction request: one in progress per record, across processes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nexo-citizen-'));
  // Two engines over one event-store file: the citizen service and the hub as separate processes.
  const engines = [
    openSqliteEventStore({ file: join(dir, 'events.sqlite') }),
    openSqliteEventStore({ file: join(dir, 'events.sqlite'), checkpointer: false }),
  ];
  const store = engines[0]!.store;
  // Each process reads its own read model, and they disagree on the last protocol number: two
  // openings of one record choose different numbers, so only the record's claims can stop them.
  const readStores: ReadStore[] = [];
  let now = START;
  const depsOf = (process: number) => ({
    store: engines[process % 2]!.store,
    readStore: readStores[process % 2]!,
    clock: () => new Date(now),
    newId,
  });
  const open = (recordId: string, process = 0, citizenKey = CITIZEN) =>
    openCorrectionRequest(depsOf(process), about(recordId, citizenKey), 'corr-test');
  /** `n` openings about one record at once, alternating between the two processes. */
  const openAtOnce = (recordId: string, n = N, citizenKey = CITIZEN) =>
    Promise.allSettled(Array.from({ length: n }, (_, i) => open(recordId, i, citizenKey)));
  const outcomes = (settled: Awaited<ReturnType<typeof openAtOnce>>) => ({
    accepted: settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value.protocol] : [])),
    refused: settled.flatMap((s) =>
      s.status === 'rejected' ? [{ code: s.reason.code as string, message: s.reason.message as string }] : [],
    ),
  });
  const inProgress = (protocol: string) => ({
    code: 'NEXO_ERR_CORRECTION_STATE',
    message: `request ${protocol} about this record is still in progress; follow it or reopen its answer.`,
  });
  /** The protocols of the requests about the record in the log: what reaches the establishment. */
  const requestsAbout = async (recordId: string) =>
    (await store.readAll(0, 10_000))
      .filter(
        (e) => e.type === 'CorrectionRequested' && (e.data as { recordId: string }).recordId === recordId,
      )
      .map((e) => (e.data as { protocol: string }).protocol);
  const append = (
    stream: string,
    expectedVersion: number,
    events: (CorrectionEvent | CorrectionClaimEvent)[],
    at = now,
  ) =>
    store.append(
      stream,
      expectedVersion,
      correctionEventsToAppend(events, {
        at,
        sender: CORRECTION_ACTORS.citizen,
        citizenKey: CITIZEN,
        correlationId: 'corr-test',
        newId,
      }),
    );
  /** Decides a command on a request's stream and appends its events (the establishment's side too). */
  const act = (protocol: string, command: CorrectionCommand) =>
    handleStreamCommand(store, correctionStream(protocol), {
      initialState: initialCorrectionState,
      evolve: evolveCorrection,
      decide: (state) => {
        const decision = decideCorrection(command, state);
        if (decision.kind === 'reject') throw new Error(JSON.stringify(decision.problems));
        return {
          events: correctionEventsToAppend(decision.events, {
            at: command.at,
            sender: CORRECTION_ACTORS.citizen,
            citizenKey: CITIZEN,
            correlationId: 'corr-test',
            newId,
          }),
          result: undefined,
        };
      },
    });
  const close = async (protocol: string) => {
    await act(protocol, { kind: 'answer', establishment: '9990011', message: 'Fixed.', at: now });
    await act(protocol, { kind: 'confirm', citizenKeys: [CITIZEN], at: now });
  };

  beforeAll(async () => {
    for (const name of ['read-0.sqlite', 'read-1.sqlite'])
      readStores.push(openSqliteReadStore({ file: join(dir, name) }));
    await readStores[1]!.commit([
      {
        kind: 'put',
        collection: COLLECTIONS.correctionCounters,
        id: '2026',
        expectedRevision: 0,
        body: { year: 2026, last: 500 },
      },
    ]);
  });
  afterAll(async () => {
    for (const readStore of readStores) await readStore.close();
    for (const engine of engines) await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`${N} openings about one record at once, over two processes: one request, the others refused naming it`, async () => {
    const { accepted, refused } = outcomes(await openAtOnce('rec-race'));
    expect(accepted).toHaveLength(1);
    expect(refused).toEqual(Array(N - 1).fill(inProgress(accepted[0] ?? '')));
    expect(await requestsAbout('rec-race')).toEqual(accepted);
  });

  it('an opening decided on claims that changed before its append is refused, however late it comes', async () => {
    const base = engines[1]!.store;
    let reachedProbe!: () => void;
    let release!: () => void;
    const atProbe = new Promise<void>((resolve) => (reachedProbe = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    let held = false;
    // holds the opening after it found the record free, while it looks for a protocol number
    const stalled: EventStore = {
      append: (stream, expectedVersion, events) => base.append(stream, expectedVersion, events),
      readStream: async (stream) => {
        if (!held && /^correction-\d/.test(stream)) {
          held = true;
          reachedProbe();
          await gate;
        }
        return base.readStream(stream);
      },
      streamVersion: (stream) => base.streamVersion(stream),
      readAll: (afterPosition, limit) => base.readAll(afterPosition, limit),
      headPosition: () => base.headPosition(),
      close: () => base.close(),
    };
    const late = openCorrectionRequest({ ...depsOf(1), store: stalled }, about('rec-stale'), 'corr-test');
    await atProbe;
    const first = await open('rec-stale', 0);
    release();
    await expect(late).rejects.toMatchObject(inProgress(first.protocol));
    expect(await requestsAbout('rec-stale')).toEqual([first.protocol]);
  });

  it('once the request is closed, one new request about the record is accepted, at once too', async () => {
    const [first = ''] = await requestsAbout('rec-race');
    await act(first, { kind: 'answer', establishment: '9990011', message: 'Fixed.', at: now });
    expect(outcomes(await openAtOnce('rec-race', 4))).toEqual({
      accepted: [],
      refused: Array(4).fill(inProgress(first)),
    });
    await act(first, { kind: 'confirm', citizenKeys: [CITIZEN], at: now });
    const { accepted, refused } = outcomes(await openAtOnce('rec-race'));
    expect(accepted).toHaveLength(1);
    expect(accepted[0]).not.toBe(first);
    expect(refused).toEqual(Array(N - 1).fill(inProgress(accepted[0] ?? '')));
    expect(await requestsAbout('rec-race')).toEqual([first, ...accepted]);
  });

  it('races about other records, of the same citizen or another, do not interfere', async () => {
    const records = ['rec-a', 'rec-b', 'rec-c', 'rec-d'];
    const settled = await Promise.all([
      ...records.map((recordId) => openAtOnce(recordId, 5)),
      openAtOnce('rec-other-citizen', 5, OTHER_CITIZEN),
    ]);
    const accepted = settled.map((s) => outcomes(s).accepted);
    expect(accepted.map((a) => a.length)).toEqual([1, 1, 1, 1, 1]);
    expect(new Set(accepted.flat()).size).toBe(5);
    for (const [i, recordId] of [...records, 'rec-other-citizen'].entries())
      expect(await requestsAbout(recordId)).toEqual(accepted[i]);
  });

  it('a claim left by a crash before its request holds the record while fresh, then is voided', async () => {
    const abandoned = '2026-900001';
    await append(correctionRecordStream('rec-crash'), 0, [recordClaimed('rec-crash', abandoned)]);
    now = after(1_000);
    await expect(open('rec-crash')).rejects.toMatchObject({
      code: 'NEXO_ERR_UNAVAILABLE',
      message: 'a request about this record is being opened right now; retry in a moment.',
    });
    now = after(CORRECTION_CLAIM_TIMEOUT_MS);
    const { accepted } = outcomes(await openAtOnce('rec-crash', 6));
    expect(accepted).toHaveLength(1);
    expect(accepted[0]).not.toBe(abandoned);
    expect((await store.readStream(correctionStream(abandoned))).map((e) => e.type)).toEqual([
      'CorrectionClaimVoided',
    ]);
    // the crashed (or only slow) opener's request comes too late: the void fenced it off
    const late = decideCorrection(
      { kind: 'request', protocol: abandoned, ...about('rec-crash'), at: START },
      initialCorrectionState(),
    );
    if (late.kind === 'reject') throw new Error('setup');
    await expect(append(correctionStream(abandoned), 0, [...late.events])).rejects.toMatchObject({
      code: 'NEXO_ERR_CONCURRENCY',
    });
    expect(await requestsAbout('rec-crash')).toEqual(accepted);
  });

  it('a claim whose request arrives while another opening waits for it: that opening is refused', async () => {
    const slow = '2026-900002';
    await append(correctionRecordStream('rec-slow'), 0, [recordClaimed('rec-slow', slow)]);
    const waiting = open('rec-slow', 1);
    const request = decideCorrection(
      { kind: 'request', protocol: slow, ...about('rec-slow'), at: now },
      initialCorrectionState(),
    );
    if (request.kind === 'reject') throw new Error('setup');
    await new Promise((resolve) => setTimeout(resolve, 30));
    await append(correctionStream(slow), 0, [...request.events]);
    await expect(waiting).rejects.toMatchObject(inProgress(slow));
  });

  it('a claim whose number another record’s request took never held the record', async () => {
    const taken = '2026-900003';
    await append(correctionRecordStream('rec-lost'), 0, [recordClaimed('rec-lost', taken)]);
    const other = decideCorrection(
      { kind: 'request', protocol: taken, ...about('rec-winner'), at: now },
      initialCorrectionState(),
    );
    if (other.kind === 'reject') throw new Error('setup');
    await append(correctionStream(taken), 0, [...other.events]);
    const { protocol } = await open('rec-lost');
    expect(protocol).not.toBe(taken);
    expect(await requestsAbout('rec-lost')).toEqual([protocol]);
  });

  it('a request opened before claims existed (no claim, known to the read model) still counts', async () => {
    const earlier = '2026-900004';
    const request = decideCorrection(
      { kind: 'request', protocol: earlier, ...about('rec-before'), at: now },
      initialCorrectionState(),
    );
    if (request.kind === 'reject') throw new Error('setup');
    await append(correctionStream(earlier), 0, [...request.events]);
    for (const readStore of readStores)
      await readStore.commit([
        {
          kind: 'put',
          collection: COLLECTIONS.correctionsByRecord,
          id: 'rec-before',
          expectedRevision: 0,
          body: { recordId: 'rec-before', protocols: [earlier] },
        },
      ]);
    expect(outcomes(await openAtOnce('rec-before', 3))).toEqual({
      accepted: [],
      refused: Array(3).fill(inProgress(earlier)),
    });
    await close(earlier);
    const { accepted } = outcomes(await openAtOnce('rec-before', 3));
    expect(accepted).toHaveLength(1);
    expect(await requestsAbout('rec-before')).toEqual([earlier, ...accepted]);
  });
});
