import { describe, expect, it } from 'vitest';
import type { CitizenId } from '@nexo/identifiers';
import {
  citizenLinkNeeded,
  decideSubmission,
  evolveSubmission,
  initialSubmissionState,
  type Decision,
  type SubmissionState,
  type SubmitDocument,
} from '../src/index.ts';
import { riaDocument } from './documents.ts';

// A UBS records a dose under the citizen's provisional CNS, and later learns the definitive one.
const PROVISIONAL: CitizenId = { kind: 'CNS', number: '756604805020177' };
const DEFINITIVE: CitizenId = { kind: 'CNS', number: '201848340050005' };
const CPF: CitizenId = { kind: 'CPF', number: '52623785287' };
const FILED_UNDER = 'cns:756604805020177';

const doc = (subject: CitizenId, replaces?: string, cancels = false) =>
  riaDocument({
    subject,
    ...(replaces ? { replaces } : {}),
    ...(cancels ? { status: 'entered-in-error' as const } : {}),
  });
const command = (hash: string, id: string, document: SubmitDocument['document'], sameCitizen?: boolean) => ({
  document,
  rawDocument: { resourceType: 'Bundle' },
  contentHash: hash,
  newRecordId: id,
  ...(sameCitizen === undefined ? {} : { sameCitizen }),
});

const original = command('h1', 'rec-1', doc(PROVISIONAL));
const linkedReplacement = command('h2', 'rec-2', doc(DEFINITIVE, 'rec-1'), true);

/** given these decisions' events (each must be accepted), the stream's state. */
const given = (...commands: SubmitDocument[]): SubmissionState =>
  commands.reduce((state, c) => {
    const decision = decideSubmission(c, state);
    if (decision.kind !== 'append')
      throw new Error(`setup command not appended: ${JSON.stringify(decision)}`);
    return evolveSubmission(state, { type: decision.type, data: decision.data });
  }, initialSubmissionState());

const outcome = (decision: Decision) =>
  decision.kind === 'reject'
    ? { rejected: decision.problems.map((p) => [p.code, p.expression]) }
    : { type: decision.type, recordId: decision.recordId, citizenKey: decision.citizenKey };

const SUBJECT = 'Bundle.entry[0].resource.subject.identifier';
const refused = { rejected: [['NEXO_ERR_BUSINESS_RULE', SUBJECT]] };

describe('a replacement or cancellation naming another identifier of the citizen', () => {
  const cases: Array<{
    rule: string;
    history: SubmitDocument[];
    when: SubmitDocument;
    needsRegistry: boolean;
    then: ReturnType<typeof outcome>;
  }> = [
    {
      rule: 'the same identifier: accepted, no registry needed',
      history: [original],
      when: command('h2', 'rec-2', doc(PROVISIONAL, 'rec-1')),
      needsRegistry: false,
      then: { type: 'RecordReplaced', recordId: 'rec-2', citizenKey: FILED_UNDER },
    },
    {
      rule: 'another identifier the registry links to the same person: accepted, filed under the original’s key',
      history: [original],
      when: linkedReplacement,
      needsRegistry: true,
      then: { type: 'RecordReplaced', recordId: 'rec-2', citizenKey: FILED_UNDER },
    },
    {
      rule: 'a CPF the registry links to the same person: accepted',
      history: [original],
      when: command('h2', 'rec-2', doc(CPF, 'rec-1'), true),
      needsRegistry: true,
      then: { type: 'RecordReplaced', recordId: 'rec-2', citizenKey: FILED_UNDER },
    },
    {
      rule: 'another identifier the registry does not link (or links to another person): refused',
      history: [original],
      when: command('h2', 'rec-2', doc(DEFINITIVE, 'rec-1'), false),
      needsRegistry: true,
      then: refused,
    },
    {
      rule: 'another identifier, the registry not asked: refused',
      history: [original],
      when: command('h2', 'rec-2', doc(DEFINITIVE, 'rec-1')),
      needsRegistry: true,
      then: refused,
    },
    {
      rule: 'a cancellation naming a linked identifier: accepted, filed under the original’s key',
      history: [original],
      when: command('h3', 'rec-3', doc(DEFINITIVE, 'rec-1', true), true),
      needsRegistry: true,
      then: { type: 'RecordCancelled', recordId: 'rec-3', citizenKey: FILED_UNDER },
    },
    {
      rule: 'a cancellation naming an identifier not linked: refused',
      history: [original],
      when: command('h3', 'rec-3', doc(DEFINITIVE, 'rec-1', true), false),
      needsRegistry: true,
      then: refused,
    },
    {
      rule: 'a second replacement is compared with the original’s key: the original’s identifier needs no registry',
      history: [original, linkedReplacement],
      when: command('h4', 'rec-4', doc(PROVISIONAL, 'rec-2')),
      needsRegistry: false,
      then: { type: 'RecordReplaced', recordId: 'rec-4', citizenKey: FILED_UNDER },
    },
    {
      rule: 'a second replacement naming the linked identifier again asks the registry again',
      history: [original, linkedReplacement],
      when: command('h4', 'rec-4', doc(DEFINITIVE, 'rec-2'), true),
      needsRegistry: true,
      then: { type: 'RecordReplaced', recordId: 'rec-4', citizenKey: FILED_UNDER },
    },
    {
      rule: 'the linked replacement resent: a resend filed under the original’s key, no registry needed',
      history: [original, linkedReplacement],
      when: command('h2', 'rec-x', doc(DEFINITIVE, 'rec-1')),
      needsRegistry: false,
      then: { type: 'ResendIgnored', recordId: 'rec-2', citizenKey: FILED_UNDER },
    },
    {
      rule: 'a stale target naming another identifier: stale first, no registry needed',
      history: [original, linkedReplacement],
      when: command('h5', 'rec-5', doc(DEFINITIVE, 'rec-1')),
      needsRegistry: false,
      then: {
        rejected: [
          ['NEXO_ERR_STALE_REPLACEMENT', 'Bundle.entry[0].resource.relatesTo[0].targetReference.reference'],
        ],
      },
    },
    {
      rule: 'another record type naming another identifier: the record type first, no registry needed',
      history: [original],
      when: command('h6', 'rec-6', { ...doc(DEFINITIVE, 'rec-1'), recordType: 'REL' }),
      needsRegistry: false,
      then: { rejected: [['NEXO_ERR_BUSINESS_RULE', 'Bundle.entry[0].resource.type']] },
    },
    {
      rule: 'a first document under another identifier: a new record under its own key',
      history: [],
      when: command('h7', 'rec-7', doc(DEFINITIVE)),
      needsRegistry: false,
      then: { type: 'RecordSubmitted', recordId: 'rec-7', citizenKey: 'cns:201848340050005' },
    },
  ];
  it.each(cases)('$rule', ({ history, when, needsRegistry, then }) => {
    const state = given(...history);
    expect(citizenLinkNeeded(when, state)).toBe(needsRegistry);
    expect(outcome(decideSubmission(when, state))).toEqual(then);
  });

  it('the accepted replacement carries the identifier it names; the stream stays filed under the original’s', () => {
    const state = given(original);
    const decision = decideSubmission(linkedReplacement, state);
    expect(decision).toMatchObject({
      kind: 'append',
      citizenKey: FILED_UNDER,
      data: { recordId: 'rec-2', replaces: 'rec-1', citizen: DEFINITIVE },
    });
    expect(given(original, linkedReplacement)).toMatchObject({
      citizenKey: FILED_UNDER,
      current: 'rec-2',
      recordIds: ['rec-1', 'rec-2'],
    });
  });

  it('a refusal says the registry must link both identifiers first, else cancel and send anew', () => {
    const state = given(original);
    const replace = decideSubmission(command('h2', 'rec-2', doc(DEFINITIVE, 'rec-1'), false), state);
    const cancel = decideSubmission(command('h3', 'rec-3', doc(DEFINITIVE, 'rec-1', true), false), state);
    expect([replace, cancel].map((d) => d.kind === 'reject' && d.problems)).toEqual([
      [
        {
          code: 'NEXO_ERR_BUSINESS_RULE',
          expression: SUBJECT,
          message:
            'a replacement must name the same citizen as the original. If both identifiers belong to the same person, the national registry must link them first, then send it again; otherwise cancel the original and send a new document for the right citizen.',
        },
      ],
      [
        {
          code: 'NEXO_ERR_BUSINESS_RULE',
          expression: SUBJECT,
          message:
            'a cancellation must name the same citizen as the record it cancels. If both identifiers belong to the same person, the national registry must link them first, then send it again; otherwise cancel the record naming the citizen it was sent for, and send a new document for the right citizen.',
        },
      ],
    ]);
  });
});
