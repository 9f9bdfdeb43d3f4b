import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectEventsMatchSchemas } from './event-schema-harness.ts';
import { newId } from '@nexo/runtime';
import {
  CORRECTION_ACTORS,
  correctionEventsToAppend,
  correctionRecordStream,
  correctionStream,
  recordClaimed,
} from '@nexo/domain';
import {
  CITIZEN_CNS,
  OTHER_CNS,
  SENDER,
  citizenToken,
  recordIdOf,
  riaBundle,
  tempDataDir,
} from './hub-harness.ts';
import { startClockedHub, type ClockedHub } from './citizen-services-harness.ts';

const BASE = '/citizen/v1/me/correction-requests';
const INBOX = '/establishment/v1/correction-requests';
const citizen = citizenToken(CITIZEN_CNS);
const otherCitizen = citizenToken(OTHER_CNS);
const establishment = `dev-establishment-${SENDER}`;
/** Requests sent at the same moment: a double click, two devices, a retry after a timeout. */
const N = 12;

/** The whole OperationOutcome a second request about a record in progress gets. */
const inProgressOutcome = (protocol: string) => ({
  resourceType: 'OperationOutcome',
  issue: [
    {
      severity: 'error',
      code: 'conflict',
      details: {
        coding: [
          {
            system: expect.any(String),
            code: 'NEXO_ERR_CORRECTION_STATE',
            display: 'the correction request does not allow this action now',
          },
        ],
      },
      diagnostics: `request ${protocol} about this record is still in progress; follow it or reopen its answer.`,
    },
  ],
});

describe('correction requests: one in progress per record, whatever arrives at once', () => {
  const data = tempDataDir();
  let hub: ClockedHub;
  const records = { mine: '', mineToo: '', theirs: '' };

  const sendRecord = async (identifier: string, cns: string) => {
    const sent = await hub.request('POST', '/fhir/r4/Bundle', establishment, riaBundle({ identifier, cns }));
    expect(sent.status).toBe(201);
    return recordIdOf(sent);
  };
  /**
   * `n` requests about one record, all at once; answers status and body of each. Injected into
   * the hub's routes, so all of them are in flight before the first one's events are projected.
   */
  const openAtOnce = (token: string, recordId: string, n = N) =>
    Promise.all(
      Array.from({ length: n }, async (_, i) => {
        const answer = await hub.hub.app.inject({
          method: 'POST',
          url: BASE,
          headers: { authorization: `Bearer ${token}` },
          payload: { recordId, message: `Wrong lot (${i}).` },
        });
        return { status: answer.statusCode, body: answer.json<Record<string, unknown>>() };
      }),
    );
  const accepted = (answers: Awaited<ReturnType<typeof openAtOnce>>) => {
    const created = answers.filter((a) => a.status === 201);
    expect(created).toHaveLength(1);
    return created[0]?.body.protocol as string;
  };
  const inbox = async () => {
    await hub.hub.projector.caughtUp();
    const answer = await hub.request('GET', INBOX, establishment);
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as {
      correctionRequests: Array<{ protocol: string; recordId: string; status: string }>;
    };
    return body.correctionRequests.map((r) => [r.recordId, r.protocol, r.status]);
  };
  const requestedInLog = async (recordId: string) =>
    (await hub.hub.engines.store.readAll(0, 1000))
      .filter((e) => e.type === 'CorrectionRequested')
      .filter((e) => (e.data as { recordId: string }).recordId === recordId)
      .map((e) => (e.data as { protocol: string }).protocol);

  beforeAll(async () => {
    hub = await startClockedHub(data.dir, '2026-03-02T12:00:00.000Z');
    records.mine = await sendRecord('race-1', CITIZEN_CNS);
    records.mineToo = await sendRecord('race-2', CITIZEN_CNS);
    records.theirs = await sendRecord('race-3', OTHER_CNS);
    await hub.hub.projector.caughtUp();
  });
  afterAll(async () => {
    await hub.stop();
    data.remove();
  });

  it(`${N} requests about one record at once: one is accepted, the others are refused naming it`, async () => {
    const answers = await openAtOnce(citizen, records.mine);
    const protocol = accepted(answers);
    expect(answers.find((a) => a.status === 201)?.body).toEqual({
      protocol,
      status: 'open',
      recordId: records.mine,
      establishment: SENDER,
      openedAt: '2026-03-02T12:00:00.000Z',
    });
    for (const refused of answers.filter((a) => a.status !== 201)) {
      expect(refused).toEqual({ status: 409, body: inProgressOutcome(protocol) });
    }
    expect(await requestedInLog(records.mine)).toEqual([protocol]);
    expect(await inbox()).toEqual([[records.mine, protocol, 'open']]);
  });

  it('two citizens racing about their own records do not interfere; one cannot touch the other’s', async () => {
    const [mine, mineToo, theirs, intruder] = await Promise.all([
      openAtOnce(citizen, records.mine),
      openAtOnce(citizen, records.mineToo),
      openAtOnce(otherCitizen, records.theirs),
      openAtOnce(otherCitizen, records.mine, 3),
    ]);
    const [first] = await requestedInLog(records.mine);
    expect(mine.map((a) => a.status)).toEqual(Array(N).fill(409));
    expect(mine[0]?.body).toEqual(inProgressOutcome(first ?? ''));
    const mineTooProtocol = accepted(mineToo);
    const theirsProtocol = accepted(theirs);
    expect(mineToo.filter((a) => a.status !== 201)).toEqual(
      Array(N - 1).fill({ status: 409, body: inProgressOutcome(mineTooProtocol) }),
    );
    expect(theirs.filter((a) => a.status !== 201)).toEqual(
      Array(N - 1).fill({ status: 409, body: inProgressOutcome(theirsProtocol) }),
    );
    // the record is not theirs: answered as any record that is not one of their own
    expect(
      intruder.map((a) => [a.status, (a.body.issue as Array<{ expression?: string[] }>)[0]?.expression]),
    ).toEqual(Array(3).fill([422, ['recordId']]));
    expect(await requestedInLog(records.mine)).toEqual([first]);
    expect(await requestedInLog(records.mineToo)).toEqual([mineTooProtocol]);
    expect(await requestedInLog(records.theirs)).toEqual([theirsProtocol]);
    expect((await inbox()).sort()).toEqual(
      [
        [records.mine, first, 'open'],
        [records.mineToo, mineTooProtocol, 'open'],
        [records.theirs, theirsProtocol, 'open'],
      ].sort(),
    );
  });

  it('an answered request is still in progress; once closed, one new request about the record is accepted', async () => {
    const [first = ''] = await requestedInLog(records.mine);
    hub.setNow('2026-03-03T12:00:00.000Z');
    const answered = await hub.request('POST', `${INBOX}/${first}/answer`, establishment, {
      message: 'The lot is right.',
    });
    expect(answered.status).toBe(200);
    const whileAnswered = await openAtOnce(citizen, records.mine, 4);
    expect(whileAnswered).toEqual(Array(4).fill({ status: 409, body: inProgressOutcome(first) }));

    const confirmed = await hub.request('POST', `${BASE}/${first}/confirm`, citizen, {});
    expect(confirmed.status).toBe(200);
    // no wait for the read model: the closing is on the request's stream, and so is the check
    const again = await openAtOnce(citizen, records.mine);
    const second = accepted(again);
    expect(second).not.toBe(first);
    for (const refused of again.filter((a) => a.status !== 201)) {
      expect(refused).toEqual({ status: 409, body: inProgressOutcome(second) });
    }
    expect(await requestedInLog(records.mine)).toEqual([first, second]);
    const mine = (await inbox()).filter(([recordId]) => recordId === records.mine);
    expect(mine.sort()).toEqual(
      [
        [records.mine, first, 'closed'],
        [records.mine, second, 'open'],
      ].sort(),
    );
  });

  it('a claim left by a crash before its request is voided once stale; every event matches its schema', async () => {
    const recordId = await sendRecord('race-4', CITIZEN_CNS);
    await hub.hub.projector.caughtUp();
    const crashed = '2026-900001';
    hub.setNow('2026-03-04T12:00:00.000Z');
    await hub.hub.engines.store.append(
      correctionRecordStream(recordId),
      0,
      correctionEventsToAppend([recordClaimed(recordId, crashed)], {
        at: '2026-03-04T12:00:00.000Z',
        sender: CORRECTION_ACTORS.citizen,
        citizenKey: `cns:${CITIZEN_CNS}`,
        correlationId: 'crashed-opening',
        newId,
      }),
    );
    hub.setNow('2026-03-04T12:01:00.000Z');
    const answers = await openAtOnce(citizen, recordId, 4);
    const protocol = accepted(answers);
    expect(answers.filter((a) => a.status !== 201)).toEqual(
      Array(3).fill({ status: 409, body: inProgressOutcome(protocol) }),
    );
    expect((await hub.hub.engines.store.readStream(correctionStream(crashed))).map((e) => e.type)).toEqual([
      'CorrectionClaimVoided',
    ]);

    const events = (await hub.hub.engines.store.readAll(0, 1000)).filter((e) =>
      e.type.startsWith('Correction'),
    );
    expect(new Set(events.map((e) => e.type))).toEqual(
      new Set([
        'CorrectionRecordClaimed',
        'CorrectionRequested',
        'CorrectionAnswered',
        'CorrectionClosed',
        'CorrectionClaimVoided',
      ]),
    );
    expectEventsMatchSchemas(events);
  });
});
