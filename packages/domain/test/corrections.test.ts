import { describe, expect, it } from 'vitest';
import {
  addBusinessDays,
  brasiliaYear,
  decideCorrection,
  evolveCorrection,
  formatProtocol,
  initialCorrectionState,
  parseProtocol,
  type CorrectionCommand,
  type CorrectionState,
} from '../src/index.ts';

const CITIZEN = 'cns:266764941990004';
const OTHER_CITIZEN = 'cns:203212962400006';
// 2026-03-02 is a Monday; 18:00Z is 15:00 in Brasília.
const MONDAY = '2026-03-02T12:00:00.000Z';
const FRIDAY = '2026-03-06T18:00:00.000Z';
const WEDNESDAY_DEADLINE = '2026-03-11T18:00:00.000Z';
const just = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

const request: CorrectionCommand = {
  kind: 'request',
  protocol: '2026-000001',
  recordId: 'rec-1',
  recordType: 'RIA',
  establishment: '9990011',
  citizenKey: CITIZEN,
  message: 'The lot number on my card is wrong.',
  at: MONDAY,
};
const answer = (at = FRIDAY, establishment = '9990011'): CorrectionCommand => ({
  kind: 'answer',
  establishment,
  message: 'We sent a corrected record.',
  at,
});
const confirm = (citizenKeys = [CITIZEN], at = FRIDAY): CorrectionCommand => ({
  kind: 'confirm',
  citizenKeys,
  at,
});
const reopen = (at: string, reason = 'Still wrong.'): CorrectionCommand => ({
  kind: 'reopen',
  citizenKeys: [CITIZEN],
  reason,
  at,
});
const expire = (at: string): CorrectionCommand => ({ kind: 'expire', at });
const rate = (): CorrectionCommand => ({
  kind: 'rate',
  citizenKeys: [CITIZEN],
  rating: 'satisfied',
  at: WEDNESDAY_DEADLINE,
});

/** given the events these commands decided, when this command, then these events or this error. */
const given = (...commands: CorrectionCommand[]): CorrectionState =>
  commands.reduce((state, command) => {
    const decision = decideCorrection(command, state);
    if (decision.kind === 'reject') throw new Error(`setup rejected: ${JSON.stringify(decision.problems)}`);
    return decision.events.reduce(evolveCorrection, state);
  }, initialCorrectionState());

const outcome = (command: CorrectionCommand, state: CorrectionState) => {
  const decision = decideCorrection(command, state);
  return decision.kind === 'reject'
    ? { rejected: decision.problems.map((p) => p.code) }
    : { events: decision.events.map((e) => ({ type: e.type, ...e.data })) };
};

describe('correction requests: decide', () => {
  const cases: Array<{
    rule: string;
    history: CorrectionCommand[];
    when: CorrectionCommand;
    then: ReturnType<typeof outcome> | { events: Array<Record<string, unknown>> };
  }> = [
    {
      rule: 'a citizen opens a request about a record',
      history: [],
      when: request,
      then: {
        events: [
          {
            type: 'CorrectionRequested',
            protocol: '2026-000001',
            recordId: 'rec-1',
            recordType: 'RIA',
            establishment: '9990011',
            citizenKey: CITIZEN,
            message: 'The lot number on my card is wrong.',
          },
        ],
      },
    },
    {
      rule: 'a request needs a message',
      history: [],
      when: { ...request, message: '   ' } as CorrectionCommand,
      then: { rejected: ['NEXO_ERR_VALIDATION_REQUIRED'] },
    },
    {
      rule: 'a protocol is used once',
      history: [request],
      when: request,
      then: { rejected: ['NEXO_ERR_CORRECTION_STATE'] },
    },
    {
      rule: 'the establishment answers; the deadline is 3 business days later (Friday → Wednesday)',
      history: [request],
      when: answer(),
      then: {
        events: [
          {
            type: 'CorrectionAnswered',
            protocol: '2026-000001',
            message: 'We sent a corrected record.',
            closesAt: WEDNESDAY_DEADLINE,
          },
        ],
      },
    },
    {
      rule: 'another establishment cannot answer (as if there were no request)',
      history: [request],
      when: answer(FRIDAY, '1234567'),
      then: { rejected: ['NEXO_ERR_NOT_FOUND'] },
    },
    {
      rule: 'no request, no answer',
      history: [],
      when: answer(),
      then: { rejected: ['NEXO_ERR_NOT_FOUND'] },
    },
    {
      rule: 'an answered request waits for the citizen',
      history: [request, answer()],
      when: answer(),
      then: { rejected: ['NEXO_ERR_CORRECTION_STATE'] },
    },
    {
      rule: 'the citizen confirms the answer: closed by the citizen',
      history: [request, answer()],
      when: confirm(),
      then: { events: [{ type: 'CorrectionClosed', protocol: '2026-000001', closedBy: 'citizen' }] },
    },
    {
      rule: 'a confirmation may carry the rating',
      history: [request, answer()],
      when: { kind: 'confirm', citizenKeys: [CITIZEN], rating: 'very-satisfied', at: FRIDAY },
      then: {
        events: [
          { type: 'CorrectionClosed', protocol: '2026-000001', closedBy: 'citizen' },
          { type: 'CorrectionRated', protocol: '2026-000001', rating: 'very-satisfied' },
        ],
      },
    },
    {
      rule: 'nothing to confirm before an answer',
      history: [request],
      when: confirm(),
      then: { rejected: ['NEXO_ERR_CORRECTION_STATE'] },
    },
    {
      rule: 'another citizen cannot act on the request',
      history: [request, answer()],
      when: confirm([OTHER_CITIZEN]),
      then: { rejected: ['NEXO_ERR_NOT_FOUND'] },
    },
    {
      rule: 'the citizen reopens with a reason before the deadline',
      history: [request, answer()],
      when: reopen(just(WEDNESDAY_DEADLINE, -1)),
      then: { events: [{ type: 'CorrectionReopened', protocol: '2026-000001', reason: 'Still wrong.' }] },
    },
    {
      rule: 'a reopening needs a reason',
      history: [request, answer()],
      when: reopen(FRIDAY, ''),
      then: { rejected: ['NEXO_ERR_VALIDATION_REQUIRED'] },
    },
    {
      rule: 'no reopening once the deadline passed, even before the scheduler closed it',
      history: [request, answer()],
      when: reopen(WEDNESDAY_DEADLINE),
      then: { rejected: ['NEXO_ERR_CORRECTION_STATE'] },
    },
    {
      rule: 'a reopened request is answered again, with a new deadline',
      history: [request, answer(), reopen(FRIDAY)],
      when: answer('2026-03-09T12:00:00.000Z'),
      then: {
        events: [
          {
            type: 'CorrectionAnswered',
            protocol: '2026-000001',
            message: 'We sent a corrected record.',
            closesAt: '2026-03-12T12:00:00.000Z',
          },
        ],
      },
    },
    {
      rule: 'no confirmation once the deadline passed, even before the scheduler closed it',
      history: [request, answer()],
      when: confirm([CITIZEN], WEDNESDAY_DEADLINE),
      then: { rejected: ['NEXO_ERR_CORRECTION_STATE'] },
    },
    {
      rule: 'the scheduler cannot close before the deadline',
      history: [request, answer()],
      when: expire(just(WEDNESDAY_DEADLINE, -1)),
      then: { rejected: ['NEXO_ERR_CORRECTION_STATE'] },
    },
    {
      rule: 'at the deadline without a reaction the request closes by itself',
      history: [request, answer()],
      when: expire(WEDNESDAY_DEADLINE),
      then: { events: [{ type: 'CorrectionClosed', protocol: '2026-000001', closedBy: 'deadline' }] },
    },
    {
      rule: 'a request waiting for the establishment never closes by itself',
      history: [request, answer(), reopen(FRIDAY)],
      when: expire('2026-04-01T00:00:00.000Z'),
      then: { rejected: ['NEXO_ERR_CORRECTION_STATE'] },
    },
    {
      rule: 'a request closed by the deadline cannot be reopened',
      history: [request, answer(), expire(WEDNESDAY_DEADLINE)],
      when: reopen(WEDNESDAY_DEADLINE),
      then: { rejected: ['NEXO_ERR_CORRECTION_STATE'] },
    },
    {
      rule: 'a rating past the deadline, before the scheduler closed the request, records the closing first',
      history: [request, answer()],
      when: { kind: 'rate', citizenKeys: [CITIZEN], rating: 'neutral', at: WEDNESDAY_DEADLINE },
      then: {
        events: [
          { type: 'CorrectionClosed', protocol: '2026-000001', closedBy: 'deadline' },
          { type: 'CorrectionRated', protocol: '2026-000001', rating: 'neutral' },
        ],
      },
    },
    {
      rule: 'a closed request is rated once',
      history: [request, answer(), expire(WEDNESDAY_DEADLINE)],
      when: rate(),
      then: { events: [{ type: 'CorrectionRated', protocol: '2026-000001', rating: 'satisfied' }] },
    },
    {
      rule: 'a second rating is refused',
      history: [request, answer(), expire(WEDNESDAY_DEADLINE), rate()],
      when: rate(),
      then: { rejected: ['NEXO_ERR_CORRECTION_STATE'] },
    },
    {
      rule: 'an open request cannot be rated',
      history: [request],
      when: rate(),
      then: { rejected: ['NEXO_ERR_CORRECTION_STATE'] },
    },
  ];
  it.each(cases)('$rule', ({ history, when, then }) => {
    expect(outcome(when, given(...history))).toEqual(then);
  });
});

describe('correction requests: evolve', () => {
  it('a closed request keeps no deadline and remembers who closed it', () => {
    const state = given(request, answer(), expire(WEDNESDAY_DEADLINE));
    const { kind: _kind, at: _at, ...requested } = request as Extract<CorrectionCommand, { kind: 'request' }>;
    expect(state).toEqual({
      version: 3,
      request: requested,
      status: 'closed',
      closedBy: 'deadline',
      rated: false,
    });
  });
});

describe('business days (Brasília time, weekends and holidays skipped)', () => {
  it.each([
    ['Monday 09:00 → Thursday 09:00', '2026-03-02T12:00:00.000Z', '2026-03-05T12:00:00.000Z'],
    ['Thursday 10:00 → Tuesday 10:00', '2026-03-05T13:00:00.000Z', '2026-03-10T13:00:00.000Z'],
    ['Friday 15:00 → Wednesday 15:00', '2026-03-06T18:00:00.000Z', '2026-03-11T18:00:00.000Z'],
    ['Saturday 10:00 → Wednesday 10:00', '2026-03-07T13:00:00.000Z', '2026-03-11T13:00:00.000Z'],
    ['Sunday 23:30 → Wednesday 23:30', '2026-03-09T02:30:00.000Z', '2026-03-12T02:30:00.000Z'],
    // Friday 23:30 in Brasília is already Saturday in UTC: the day is Brasília's.
    ['Friday 23:30 (Saturday UTC) → Wednesday 23:30', '2026-03-07T02:30:00.000Z', '2026-03-12T02:30:00.000Z'],
    ['an offset in the input is honoured', '2026-03-06T15:00:00-03:00', '2026-03-11T18:00:00.000Z'],
    // Sexta-feira Santa (3 April 2026, from Easter) and Tiradentes (Tuesday 21 April 2026).
    ['Wednesday before Good Friday → Tuesday', '2026-04-01T12:00:00.000Z', '2026-04-07T12:00:00.000Z'],
    ['Friday before Tiradentes → Thursday', '2026-04-17T12:00:00.000Z', '2026-04-23T12:00:00.000Z'],
    // Consciência Negra (Friday 20 November 2026) and Natal (Friday 25 December 2026).
    ['Wednesday before Consciência Negra → Tuesday', '2026-11-18T12:00:00.000Z', '2026-11-24T12:00:00.000Z'],
    ['Wednesday before Christmas → Tuesday', '2026-12-23T12:00:00.000Z', '2026-12-29T12:00:00.000Z'],
    // Carnaval's Tuesday (17 February 2026) is a day off in the federal calendar.
    ['Friday before Carnaval → Thursday', '2026-02-13T12:00:00.000Z', '2026-02-19T12:00:00.000Z'],
    // The day is Brasília's: 02:30 UTC on Friday 20 November is still Thursday 19 in Brasília.
    ['late on Thursday 19 November → Wednesday', '2026-11-20T02:30:00.000Z', '2026-11-26T02:30:00.000Z'],
  ])('%s', (_rule, from, to) => {
    expect(addBusinessDays(from, 3)).toBe(to);
  });

  it('the protocol year is the year in Brasília', () => {
    expect(brasiliaYear('2027-01-01T02:00:00.000Z')).toBe(2026);
    expect(brasiliaYear('2027-01-01T03:00:00.000Z')).toBe(2027);
  });

  it('protocols are human-friendly and parse back', () => {
    expect(formatProtocol(2026, 123)).toBe('2026-000123');
    expect(formatProtocol(2026, 1_234_567)).toBe('2026-1234567');
    expect(parseProtocol('2026-000123')).toEqual({ year: 2026, sequence: 123 });
    expect(parseProtocol('2026-12')).toBeUndefined();
    expect(parseProtocol('../etc')).toBeUndefined();
  });
});
