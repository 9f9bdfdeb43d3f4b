import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CITIZEN_CNS,
  OTHER_CNS,
  OTHER_SENDER,
  SENDER,
  citizenToken,
  recordIdOf,
  riaBundle,
  tempDataDir,
} from './hub-harness.ts';
import { problemOf, startClockedHub, type ClockedHub } from './citizen-services-harness.ts';

const BASE = '/citizen/v1/me/correction-requests';
const INBOX = '/establishment/v1/correction-requests';
const citizen = citizenToken(CITIZEN_CNS);
const otherCitizen = citizenToken(OTHER_CNS);
const establishment = `dev-establishment-${SENDER}`;
const otherEstablishment = `dev-establishment-${OTHER_SENDER}`;

// Brasília is UTC−3: 18:00Z is 15:00 there. 2026-03-02 is a Monday.
const MONDAY = '2026-03-02T12:00:00.000Z';
const FRIDAY_15H = '2026-03-06T18:00:00.000Z';
const NEXT_MONDAY_15H = '2026-03-09T18:00:00.000Z';
const TUESDAY = '2026-03-10T12:00:00.000Z';
const FRIDAY_DEADLINE = '2026-03-13T12:00:00.000Z';

interface View {
  protocol: string;
  status: string;
  closesAt?: string;
  closedBy?: string;
  rating?: { value: string; comment?: string };
  linkedRecords: Array<{ recordId: string; kind: string }>;
  timeline: Array<{ by: string; kind: string; message?: string; recordId?: string; rating?: string }>;
}

describe('correction requests: the whole life cycle over HTTP', () => {
  const data = tempDataDir();
  let hub: ClockedHub;
  let recordId = '';
  let protocol = '';
  const send = async (method: 'GET' | 'POST', path: string, token: string, body?: unknown) => {
    const response = await hub.request(method, path, token, body);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const viewOf = async (path: string, token: string) => {
    await hub.hub.projector.caughtUp();
    const answer = await send('GET', path, token);
    expect(answer.status).toBe(200);
    return answer.body as unknown as View;
  };
  const kinds = (view: View) => view.timeline.map((t) => `${t.by}:${t.kind}`);

  beforeAll(async () => {
    hub = await startClockedHub(data.dir, MONDAY);
    const sent = await hub.request(
      'POST',
      '/fhir/r4/Bundle',
      establishment,
      riaBundle({ identifier: 'cr-1', lot: 'WRONG' }),
    );
    expect(sent.status).toBe(201);
    recordId = recordIdOf(sent);
    await hub.hub.projector.caughtUp();
  });
  afterAll(async () => {
    await hub.stop();
    data.remove();
  });

  it('a citizen opens a request about their record and gets a protocol number', async () => {
    const opened = await hub.request('POST', BASE, citizen, {
      recordId,
      message: 'The lot on my card is wrong.',
    });
    expect(opened.status).toBe(201);
    const body = (await opened.json()) as { protocol: string };
    protocol = body.protocol;
    expect(protocol).toMatch(/^2026-\d{6}$/);
    expect(opened.headers.get('location')).toBe(`${BASE}/${protocol}`);
    expect(body).toEqual({ protocol, status: 'open', recordId, establishment: SENDER, openedAt: MONDAY });

    await hub.hub.projector.caughtUp();
    const again = await hub.request('POST', BASE, citizen, { recordId, message: 'Again.' });
    expect(again.status).toBe(409);
    expect((await problemOf(again)).diagnostics).toContain(`request ${protocol} about this record`);
  });

  it('a request needs one of the citizen’s own current records and a message', async () => {
    expect(
      await problemOf(await hub.request('POST', BASE, otherCitizen, { recordId, message: 'not mine' })),
    ).toMatchObject({
      code: 'NEXO_ERR_VALIDATION_REFERENCE',
      expression: ['recordId'],
    });
    expect(
      await problemOf(await hub.request('POST', BASE, citizen, { recordId, message: ' ' })),
    ).toMatchObject({
      code: 'NEXO_ERR_VALIDATION_REQUIRED',
      expression: ['message'],
    });
    expect(
      await problemOf(await hub.request('POST', BASE, citizen, { recordId, message: 'x', cpf: '1' })),
    ).toMatchObject({
      code: 'NEXO_ERR_VALIDATION_REQUIRED',
      expression: ['cpf'],
    });
    expect((await hub.request('POST', BASE, undefined, { recordId, message: 'x' })).status).toBe(401);
  });

  it('lands in the sending establishment’s inbox only; other citizens and establishments get 404', async () => {
    await hub.hub.projector.caughtUp();
    const inbox = await send('GET', INBOX, establishment);
    expect((inbox.body.correctionRequests as View[]).map((r) => [r.protocol, r.status])).toEqual([
      [protocol, 'open'],
    ]);
    expect(inbox.body.correctionRequests).toEqual([
      expect.not.objectContaining({ citizenKey: expect.anything() }),
    ]);
    expect((await send('GET', INBOX, otherEstablishment)).body).toEqual({ correctionRequests: [] });
    expect((await send('GET', BASE, otherCitizen)).body).toEqual({ correctionRequests: [] });

    for (const [method, path, token, body] of [
      ['GET', `${BASE}/${protocol}`, otherCitizen, undefined],
      ['POST', `${BASE}/${protocol}/reopen`, otherCitizen, { reason: 'mine now' }],
      ['POST', `${BASE}/${protocol}/confirm`, otherCitizen, {}],
      ['GET', `${INBOX}/${protocol}`, otherEstablishment, undefined],
      ['POST', `${INBOX}/${protocol}/answer`, otherEstablishment, { message: 'not ours' }],
      ['GET', `${BASE}/2026-999999`, citizen, undefined],
      ['GET', `${BASE}/not-a-protocol`, citizen, undefined],
    ] as const) {
      const answer = await hub.request(method, path, token, body);
      expect(answer.status, `${method} ${path}`).toBe(404);
      expect((await problemOf(answer)).code).toBe('NEXO_ERR_NOT_FOUND');
    }
    // nothing changed
    expect((await viewOf(`${BASE}/${protocol}`, citizen)).status).toBe('open');
  });

  it('answers a forged cursor or a limit out of range in the inbox with a 400 naming the parameter', async () => {
    for (const [query, parameter] of [
      ['cursor=zzz', 'cursor'],
      ['cursor=eyJ4IjoxfQ', 'cursor'],
      ['cursor=%00', 'cursor'],
      ['limit=0', 'limit'],
      ['limit=abc', 'limit'],
      ['limit=100000', 'limit'],
    ] as const) {
      const answer = await hub.request('GET', `${INBOX}?${query}`, establishment);
      expect(answer.status, query).toBe(400);
      expect(await problemOf(answer), query).toMatchObject({
        code: 'NEXO_ERR_UNPARSABLE',
        expression: [parameter],
      });
    }
  });

  it('links the replacement the establishment sends, then the answer starts a 3-business-day deadline', async () => {
    expect(
      (await problemOf(await hub.request('POST', `${BASE}/${protocol}/confirm`, citizen, {}))).code,
    ).toBe('NEXO_ERR_CORRECTION_STATE');
    const replaced = await hub.request(
      'POST',
      '/fhir/r4/Bundle',
      establishment,
      riaBundle({ identifier: 'cr-1', lot: 'RIGHT', replaces: recordId }),
    );
    expect(replaced.status).toBe(201);
    const replacementId = recordIdOf(replaced);
    expect((await viewOf(`${BASE}/${protocol}`, citizen)).linkedRecords).toEqual([
      { recordId: replacementId, kind: 'replacement', at: expect.any(String) },
    ]);

    hub.setNow(FRIDAY_15H);
    const answered = await send('POST', `${INBOX}/${protocol}/answer`, establishment, {
      message: 'We corrected the lot; see the new record.',
    });
    // Friday 15:00 → Monday, Tuesday, Wednesday: the weekend does not count.
    expect(answered).toEqual({
      status: 200,
      body: { protocol, status: 'answered', closesAt: '2026-03-11T18:00:00.000Z' },
    });
    expect(
      (await send('POST', `${INBOX}/${protocol}/answer`, establishment, { message: 'again' })).status,
    ).toBe(409);
  });

  it('does not close after 3 calendar days over a weekend; the citizen reopens with a reason', async () => {
    hub.setNow(NEXT_MONDAY_15H);
    expect(await hub.hub.correctionDeadlines.runOnce()).toBe(0);
    expect(
      (await problemOf(await hub.request('POST', `${BASE}/${protocol}/reopen`, citizen, {}))).expression,
    ).toEqual(['reason']);
    const reopened = await send('POST', `${BASE}/${protocol}/reopen`, citizen, {
      reason: 'The date is wrong too.',
    });
    expect(reopened).toEqual({ status: 200, body: { protocol, status: 'reopened', rated: false } });

    hub.setNow(TUESDAY);
    const answered = await send('POST', `${INBOX}/${protocol}/answer`, establishment, {
      message: 'Date fixed as well.',
    });
    expect(answered.body).toEqual({ protocol, status: 'answered', closesAt: FRIDAY_DEADLINE });
  });

  it('closes by itself at the deadline, cannot be reopened after that, and is rated once', async () => {
    hub.setNow(new Date(Date.parse(FRIDAY_DEADLINE) - 60_000).toISOString());
    expect(await hub.hub.correctionDeadlines.runOnce()).toBe(0);
    await hub.hub.projector.caughtUp();
    hub.setNow(FRIDAY_DEADLINE);
    expect(await hub.hub.correctionDeadlines.runOnce()).toBe(1);
    expect(await hub.hub.correctionDeadlines.runOnce()).toBe(0);

    const closed = await viewOf(`${BASE}/${protocol}`, citizen);
    expect(closed).toMatchObject({ status: 'closed', closedBy: 'deadline', closedAt: FRIDAY_DEADLINE });
    const reopen = await hub.request('POST', `${BASE}/${protocol}/reopen`, citizen, { reason: 'too late?' });
    expect(reopen.status).toBe(409);
    expect((await problemOf(reopen)).diagnostics).toContain('cannot be reopened');

    const rated = await send('POST', `${BASE}/${protocol}/rating`, citizen, {
      rating: 'satisfied',
      comment: 'Quick.',
    });
    expect(rated).toEqual({
      status: 200,
      body: { protocol, status: 'closed', closedBy: 'deadline', rated: true },
    });
    expect(
      (await send('POST', `${BASE}/${protocol}/rating`, citizen, { rating: 'dissatisfied' })).status,
    ).toBe(409);
    expect(
      (await problemOf(await hub.request('POST', `${BASE}/${protocol}/rating`, citizen, { rating: 5 })))
        .expression,
    ).toEqual(['rating']);

    // both sides see the same timeline
    const mine = await viewOf(`${BASE}/${protocol}`, citizen);
    const theirs = await viewOf(`${INBOX}/${protocol}`, establishment);
    expect(kinds(mine)).toEqual([
      'citizen:requested',
      'establishment:record-replaced',
      'establishment:answered',
      'citizen:reopened',
      'establishment:answered',
      'system:closed',
      'citizen:rated',
    ]);
    expect(theirs.timeline).toEqual(mine.timeline);
    expect(mine.rating).toEqual({ value: 'satisfied', comment: 'Quick.' });
  });

  it('a citizen confirms an answer with a rating; a cancellation is linked too', async () => {
    hub.setNow('2026-03-16T12:00:00.000Z');
    const sent = await hub.request(
      'POST',
      '/fhir/r4/Bundle',
      establishment,
      riaBundle({ identifier: 'cr-2', lot: 'DUP' }),
    );
    const duplicate = recordIdOf(sent);
    await hub.hub.projector.caughtUp();
    const opened = await send('POST', BASE, citizen, {
      recordId: duplicate,
      message: 'I got this dose once only.',
    });
    const second = opened.body.protocol as string;
    expect(second > protocol).toBe(true);
    const cancelled = await hub.request(
      'POST',
      '/fhir/r4/Bundle',
      establishment,
      riaBundle({ identifier: 'cr-2', lot: 'DUP', replaces: duplicate, status: 'entered-in-error' }),
    );
    expect(cancelled.status).toBe(201);
    await send('POST', `${INBOX}/${second}/answer`, establishment, { message: 'Cancelled the duplicate.' });
    // A comment alone would have nothing to be kept with: refused, and the request stays answered.
    const commentOnly = await hub.request('POST', `${BASE}/${second}/confirm`, citizen, {
      comment: 'Thanks.',
    });
    expect(commentOnly.status).toBe(422);
    expect((await problemOf(commentOnly)).expression).toEqual(['rating']);
    expect((await viewOf(`${BASE}/${second}`, citizen)).status).toBe('answered');
    const confirmed = await send('POST', `${BASE}/${second}/confirm`, citizen, { rating: 'very-satisfied' });
    expect(confirmed.body).toEqual({ protocol: second, status: 'closed', closedBy: 'citizen', rated: true });

    const view = await viewOf(`${BASE}/${second}`, citizen);
    expect(view.linkedRecords).toEqual([
      { recordId: recordIdOf(cancelled), kind: 'cancellation', at: expect.any(String) },
    ]);
    expect(kinds(view)).toEqual([
      'citizen:requested',
      'establishment:record-cancelled',
      'establishment:answered',
      'citizen:closed',
      'citizen:rated',
    ]);
    const list = await send('GET', BASE, citizen);
    expect((list.body.correctionRequests as View[]).map((r) => [r.protocol, r.status])).toEqual([
      [second, 'closed'],
      [protocol, 'closed'],
    ]);
  });
});
