import { describe, expect, it } from 'vitest';
import {
  CORRECTION_CLAIM_TIMEOUT_MS,
  claimVoided,
  decideCorrection,
  decideCorrectionClaim,
  evolveCorrection,
  evolveCorrectionClaim,
  initialCorrectionClaimState,
  initialCorrectionState,
  recordClaimed,
  type CorrectionCommand,
  type CorrectionState,
} from '../src/index.ts';

const RECORD = 'rec-1';
const P1 = '2026-000001';
const P2 = '2026-000002';
const CLAIMED_AT = '2026-03-02T12:00:00.000Z';
const after = (ms: number) => new Date(Date.parse(CLAIMED_AT) + ms).toISOString();

const request = (protocol: string, recordId = RECORD): CorrectionCommand => ({
  kind: 'request',
  protocol,
  recordId,
  recordType: 'RIA',
  establishment: '9990011',
  citizenKey: 'cns:266764941990004',
  message: 'The lot number on my card is wrong.',
  at: CLAIMED_AT,
});
const answer: CorrectionCommand = {
  kind: 'answer',
  establishment: '9990011',
  message: 'Done.',
  at: after(1),
};
const confirm: CorrectionCommand = { kind: 'confirm', citizenKeys: ['cns:266764941990004'], at: after(2) };

/** A protocol stream after these commands. */
const protocolStream = (...commands: CorrectionCommand[]): CorrectionState =>
  commands.reduce((state, command) => {
    const decision = decideCorrection(command, state);
    if (decision.kind === 'reject') throw new Error(`setup rejected: ${JSON.stringify(decision.problems)}`);
    return decision.events.reduce(evolveCorrection, state);
  }, initialCorrectionState());

/** The record's claims stream after claims of these protocols, each made at CLAIMED_AT. */
const claims = (...protocols: string[]) =>
  protocols
    .map((p) => ({ ...recordClaimed(RECORD, p), occurredAt: CLAIMED_AT }))
    .reduce(evolveCorrectionClaim, initialCorrectionClaimState());

describe('one correction request in progress per record: decide on the claims', () => {
  const cases: Array<{
    rule: string;
    claimed: string[];
    holder: CorrectionState;
    at?: string;
    then: ReturnType<typeof decideCorrectionClaim>;
  }> = [
    {
      rule: 'a record never claimed is free',
      claimed: [],
      holder: initialCorrectionState(),
      then: { kind: 'free' },
    },
    {
      rule: 'the claiming request is open: refused, naming it',
      claimed: [P1],
      holder: protocolStream(request(P1)),
      then: { kind: 'in-progress', protocol: P1 },
    },
    {
      rule: 'answered is still in progress (the citizen may reopen it)',
      claimed: [P1],
      holder: protocolStream(request(P1), answer),
      then: { kind: 'in-progress', protocol: P1 },
    },
    {
      rule: 'once the claiming request is closed, the record is free again',
      claimed: [P1],
      holder: protocolStream(request(P1), answer, confirm),
      then: { kind: 'free' },
    },
    {
      rule: 'only the last claim counts',
      claimed: [P1, P2],
      holder: protocolStream(request(P2)),
      then: { kind: 'in-progress', protocol: P2 },
    },
    {
      rule: 'a claim whose number went to another record’s request never held the record',
      claimed: [P1],
      holder: protocolStream(request(P1, 'rec-other')),
      then: { kind: 'free' },
    },
    {
      rule: 'a claim whose request is not written yet holds the record while fresh',
      claimed: [P1],
      holder: initialCorrectionState(),
      at: after(CORRECTION_CLAIM_TIMEOUT_MS - 1),
      then: { kind: 'opening', protocol: P1 },
    },
    {
      rule: 'a claim whose request never came is abandoned once stale',
      claimed: [P1],
      holder: initialCorrectionState(),
      at: after(CORRECTION_CLAIM_TIMEOUT_MS),
      then: { kind: 'abandoned', protocol: P1 },
    },
    {
      rule: 'a voided claim never held the record',
      claimed: [P1],
      holder: [claimVoided(P1, RECORD)].reduce(evolveCorrection, initialCorrectionState()),
      then: { kind: 'free' },
    },
  ];
  it.each(cases)('$rule', ({ claimed, holder, at, then }) => {
    expect(
      decideCorrectionClaim({ recordId: RECORD, at: at ?? after(1) }, claims(...claimed), holder),
    ).toEqual(then);
  });

  it('a voided protocol can never hold a request', () => {
    const voided = [claimVoided(P1, RECORD)].reduce(evolveCorrection, initialCorrectionState());
    expect(decideCorrection(request(P1), voided)).toMatchObject({
      kind: 'reject',
      problems: [{ code: 'NEXO_ERR_CORRECTION_STATE' }],
    });
  });

  it('the claims stream keeps its version and the last claim with its time', () => {
    expect(claims(P1, P2)).toEqual({ version: 2, claim: { protocol: P2, at: CLAIMED_AT } });
  });
});
