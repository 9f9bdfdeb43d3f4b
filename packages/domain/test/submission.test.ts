import { describe, expect, it } from 'vitest';
import {
  decideSubmission,
  evolveSubmission,
  initialSubmissionState,
  type Decision,
  type SubmitDocument,
  type SubmissionEventLike,
} from '../src/index.ts';
import { riaDocument } from './documents.ts';

const submit = (
  overrides: Partial<SubmitDocument> & { hash?: string; id?: string } = {},
): SubmitDocument => ({
  document: riaDocument(),
  rawDocument: { resourceType: 'Bundle' },
  contentHash: overrides.hash ?? 'hash-a',
  newRecordId: overrides.id ?? 'rec-new',
  ...overrides,
});

/** given these decisions' events, when this command, then this decision. */
const given = (
  ...commands: SubmitDocument[]
): { state: ReturnType<typeof initialSubmissionState>; events: SubmissionEventLike[] } => {
  let state = initialSubmissionState();
  const events: SubmissionEventLike[] = [];
  for (const command of commands) {
    const decision = decideSubmission(command, state);
    if (decision.kind === 'reject') throw new Error(`setup command rejected: ${JSON.stringify(decision)}`);
    if (decision.kind === 'resend') continue; // recorded outside the submission stream
    const event = { type: decision.type, data: decision.data };
    events.push(event);
    state = evolveSubmission(state, event);
  }
  return { state, events };
};

const outcome = (decision: Decision) =>
  decision.kind === 'reject'
    ? { rejected: decision.problems.map((p) => p.code) }
    : { type: decision.type, recordId: decision.recordId, created: decision.kind === 'append' };

const original = submit({ hash: 'h1', id: 'rec-1' });
const replacement = submit({ hash: 'h2', id: 'rec-2', document: riaDocument({ replaces: 'rec-1' }) });
const cancelOriginal = submit({
  hash: 'h3',
  id: 'rec-3',
  document: riaDocument({ replaces: 'rec-1', status: 'entered-in-error' }),
});

describe('submission stream: decide', () => {
  const cases: Array<{
    rule: string;
    history: SubmitDocument[];
    when: SubmitDocument;
    then: ReturnType<typeof outcome>;
  }> = [
    {
      rule: 'a first document is a new record',
      history: [],
      when: original,
      then: { type: 'RecordSubmitted', recordId: 'rec-1', created: true },
    },
    {
      rule: 'the same content again is a resend answered with the original id',
      history: [original],
      when: submit({ hash: 'h1', id: 'rec-x' }),
      then: { type: 'ResendIgnored', recordId: 'rec-1', created: false },
    },
    {
      rule: 'the same identifier with other content and no relatesTo is a conflict',
      history: [original],
      when: submit({ hash: 'h9', id: 'rec-x' }),
      then: { rejected: ['NEXO_ERR_IDENTIFIER_CONFLICT'] },
    },
    {
      rule: 'relatesTo replaces the current record is a replacement',
      history: [original],
      when: replacement,
      then: { type: 'RecordReplaced', recordId: 'rec-2', created: true },
    },
    {
      rule: 'a replacement resent is answered with the replacement id',
      history: [original, replacement],
      when: submit({ hash: 'h2', id: 'rec-x', document: riaDocument({ replaces: 'rec-1' }) }),
      then: { type: 'ResendIgnored', recordId: 'rec-2', created: false },
    },
    {
      rule: 'the original resent after a replacement still answers its own id',
      history: [original, replacement],
      when: submit({ hash: 'h1', id: 'rec-x' }),
      then: { type: 'ResendIgnored', recordId: 'rec-1', created: false },
    },
    {
      rule: 'replacing a replaced record is stale',
      history: [original, replacement],
      when: submit({ hash: 'h4', id: 'rec-4', document: riaDocument({ replaces: 'rec-1' }) }),
      then: { rejected: ['NEXO_ERR_STALE_REPLACEMENT'] },
    },
    {
      rule: 'replacing the replacement chains',
      history: [original, replacement],
      when: submit({ hash: 'h4', id: 'rec-4', document: riaDocument({ replaces: 'rec-2' }) }),
      then: { type: 'RecordReplaced', recordId: 'rec-4', created: true },
    },
    {
      rule: 'entered-in-error with relatesTo is a cancellation',
      history: [original],
      when: cancelOriginal,
      then: { type: 'RecordCancelled', recordId: 'rec-3', created: true },
    },
    {
      rule: 'a cancelled record cannot be replaced',
      history: [original, cancelOriginal],
      when: submit({ hash: 'h5', id: 'rec-5', document: riaDocument({ replaces: 'rec-1' }) }),
      then: { rejected: ['NEXO_ERR_RECORD_CANCELLED'] },
    },
    {
      rule: 'a cancellation cannot be replaced',
      history: [original, cancelOriginal],
      when: submit({ hash: 'h5', id: 'rec-5', document: riaDocument({ replaces: 'rec-3' }) }),
      then: { rejected: ['NEXO_ERR_RECORD_CANCELLED'] },
    },
    {
      rule: 'a replacement of an unknown record is refused',
      history: [original],
      when: submit({ hash: 'h6', document: riaDocument({ replaces: 'rec-unknown' }) }),
      then: { rejected: ['NEXO_ERR_UNKNOWN_TARGET'] },
    },
    {
      rule: 'a replacement on an empty stream is refused',
      history: [],
      when: replacement,
      then: { rejected: ['NEXO_ERR_UNKNOWN_TARGET'] },
    },
    {
      rule: "a replacement of another sender's record is forbidden",
      history: [],
      when: { ...replacement, foreignTarget: { ownedBySender: false } },
      then: { rejected: ['NEXO_ERR_FORBIDDEN'] },
    },
    {
      rule: 'a replacement under another identifier of the same sender is refused',
      history: [],
      when: { ...replacement, foreignTarget: { ownedBySender: true } },
      then: { rejected: ['NEXO_ERR_BUSINESS_RULE'] },
    },
    {
      rule: 'a replacement must keep the record type',
      history: [original],
      when: submit({ hash: 'h7', document: riaDocument({ replaces: 'rec-1', recordType: 'REL' }) }),
      then: { rejected: ['NEXO_ERR_BUSINESS_RULE'] },
    },
    {
      rule: 'a replacement must keep the citizen',
      history: [original],
      when: submit({
        hash: 'h8',
        document: riaDocument({ replaces: 'rec-1', subject: { kind: 'CPF', number: '52998224725' } }),
      }),
      then: { rejected: ['NEXO_ERR_BUSINESS_RULE'] },
    },
  ];
  it.each(cases)('$rule', ({ history, when, then }) => {
    const { state } = given(...history);
    expect(outcome(decideSubmission(when, state))).toEqual(then);
  });

  it('a replacement event names the record it replaces and carries the new summary', () => {
    const { state } = given(original);
    const decision = decideSubmission(replacement, state);
    expect(decision).toMatchObject({
      kind: 'append',
      data: { recordId: 'rec-2', replaces: 'rec-1', contentHash: 'h2', citizen: { kind: 'CNS' } },
    });
  });

  it('a resend does not touch the submission stream, so it never contends with its writers', () => {
    const { state, events } = given(original, submit({ hash: 'h1' }), submit({ hash: 'h1' }));
    expect(events.map((e) => e.type)).toEqual(['RecordSubmitted']);
    expect(state.version).toBe(1);
    expect(decideSubmission(submit({ hash: 'h1' }), state).kind).toBe('resend');
  });
});

describe('submission stream: a refused replacement or cancellation says what became of its target', () => {
  const replaceWith = (replaces: string) =>
    submit({ hash: 'h-new', id: 'rec-new', document: riaDocument({ replaces }) });
  const cancelWith = (replaces: string) =>
    submit({ hash: 'h-new', id: 'rec-new', document: riaDocument({ replaces, status: 'entered-in-error' }) });
  const replaceReplacement = submit({
    hash: 'h4',
    id: 'rec-4',
    document: riaDocument({ replaces: 'rec-2' }),
  });
  const cancelReplacement = submit({
    hash: 'h5',
    id: 'rec-5',
    document: riaDocument({ replaces: 'rec-2', status: 'entered-in-error' }),
  });
  const RELATES_TO = 'Bundle.entry[0].resource.relatesTo[0].targetReference.reference';
  const at = (code: string, message: string, expression = RELATES_TO) => [{ code, expression, message }];
  const cancelled = (message: string) => at('NEXO_ERR_RECORD_CANCELLED', message);
  const stale = (message: string) => at('NEXO_ERR_STALE_REPLACEMENT', message);
  const unknown = (message: string) => at('NEXO_ERR_UNKNOWN_TARGET', message);
  const cases: Array<{
    rule: string;
    history: SubmitDocument[];
    when: SubmitDocument;
    then: unknown[];
  }> = [
    {
      rule: 'replacing a cancelled record: cancelled, not stale (there is no current version to fetch)',
      history: [original, cancelOriginal],
      when: replaceWith('rec-1'),
      then: cancelled(
        'record rec-1 is no longer current: it was cancelled by record rec-3. A cancelled record cannot be replaced; send the corrected content as a new document, under a new Bundle.identifier.',
      ),
    },
    {
      rule: 'replacing the cancellation itself',
      history: [original, cancelOriginal],
      when: replaceWith('rec-3'),
      then: cancelled(
        'record rec-3 is the cancellation of record rec-1. A cancelled record cannot be replaced; send the corrected content as a new document, under a new Bundle.identifier.',
      ),
    },
    {
      rule: 'replacing a version that was replaced, then cancelled',
      history: [original, replacement, cancelReplacement],
      when: replaceWith('rec-1'),
      then: cancelled(
        'record rec-1 is no longer current: it was replaced by record rec-2, and the record was then cancelled by record rec-5. A cancelled record cannot be replaced; send the corrected content as a new document, under a new Bundle.identifier.',
      ),
    },
    {
      rule: 'cancelling a cancelled record again (other content: not a resend)',
      history: [original, cancelOriginal],
      when: cancelWith('rec-1'),
      then: cancelled(
        'record rec-1 is no longer current: it was cancelled by record rec-3. The record is already cancelled; there is nothing left to cancel.',
      ),
    },
    {
      rule: 'cancelling the cancellation',
      history: [original, cancelOriginal],
      when: cancelWith('rec-3'),
      then: cancelled(
        'record rec-3 is the cancellation of record rec-1. The record is already cancelled; there is nothing left to cancel.',
      ),
    },
    {
      rule: 'replacing a replaced record names its replacement, the current version',
      history: [original, replacement],
      when: replaceWith('rec-1'),
      then: stale(
        'record rec-1 is no longer current: it was replaced by record rec-2, the current version. Replace the current version instead (relatesTo targetReference "Composition/rec-2").',
      ),
    },
    {
      rule: 'replacing a version replaced twice names its replacement and the current version',
      history: [original, replacement, replaceReplacement],
      when: replaceWith('rec-1'),
      then: stale(
        'record rec-1 is no longer current: it was replaced by record rec-2; the current version is record rec-4. Replace the current version instead (relatesTo targetReference "Composition/rec-4").',
      ),
    },
    {
      rule: 'cancelling a replaced record points to the version to cancel',
      history: [original, replacement],
      when: cancelWith('rec-1'),
      then: stale(
        'record rec-1 is no longer current: it was replaced by record rec-2, the current version. Cancel the current version instead (relatesTo targetReference "Composition/rec-2").',
      ),
    },
    {
      rule: 'a target that does not exist, on an identifier never used',
      history: [],
      when: replaceWith('rec-unknown'),
      then: unknown(
        "no document was accepted under this Bundle.identifier, so it holds no record rec-unknown to replace. A replacement must carry the Bundle.identifier of the record it replaces and name that record's id (the last segment of the Location Nexo returned for it).",
      ),
    },
    {
      rule: 'a cancellation of a target that does not exist, on an identifier never used',
      history: [],
      when: cancelWith('rec-unknown'),
      then: unknown(
        "no document was accepted under this Bundle.identifier, so it holds no record rec-unknown to cancel. A cancellation must carry the Bundle.identifier of the record it cancels and name that record's id (the last segment of the Location Nexo returned for it).",
      ),
    },
    {
      rule: 'a target that does not exist under an identifier in use names its current version',
      history: [original, replacement],
      when: replaceWith('rec-unknown'),
      then: unknown(
        'no record rec-unknown was sent under this Bundle.identifier; its current version is record rec-2, the one to replace (relatesTo targetReference "Composition/rec-2").',
      ),
    },
    {
      rule: 'a target that does not exist under a cancelled identifier says it was cancelled',
      history: [original, cancelOriginal],
      when: replaceWith('rec-unknown'),
      then: unknown(
        'no record rec-unknown was sent under this Bundle.identifier, and the record sent under it was cancelled by record rec-3. A cancelled record cannot be replaced; send the corrected content as a new document, under a new Bundle.identifier.',
      ),
    },
    {
      rule: "a cancellation of the sender's record under another identifier",
      history: [],
      when: { ...cancelWith('rec-1'), foreignTarget: { ownedBySender: true } },
      then: at(
        'NEXO_ERR_BUSINESS_RULE',
        'record rec-1 was sent under another Bundle.identifier; a cancellation must carry the Bundle.identifier of the record it cancels.',
        'Bundle.identifier',
      ),
    },
    {
      rule: 'a cancellation naming another citizen',
      history: [original],
      when: submit({
        hash: 'h8',
        document: riaDocument({
          replaces: 'rec-1',
          status: 'entered-in-error',
          subject: { kind: 'CPF', number: '52998224725' },
        }),
      }),
      then: at(
        'NEXO_ERR_BUSINESS_RULE',
        'a cancellation must name the same citizen as the record it cancels. If both identifiers belong to the same person, the national registry must link them first, then send it again; otherwise cancel the record naming the citizen it was sent for, and send a new document for the right citizen.',
        'Bundle.entry[0].resource.subject.identifier',
      ),
    },
  ];
  it.each(cases)('$rule', ({ history, when, then }) => {
    const { state } = given(...history);
    const decision = decideSubmission(when, state);
    expect(decision.kind === 'reject' && decision.problems).toEqual(then);
  });
});

describe('submission stream: other content under a used Bundle.identifier names the record it holds', () => {
  const used = (identifier: string) =>
    `Bundle.identifier ${identifier} was already used by this sender for a document with other content (a resend must repeat the accepted document exactly: a new Bundle.timestamp, meta or fullUrl is other content).`;
  const conflict = (advice: string) => (identifier: string) => [
    {
      code: 'NEXO_ERR_IDENTIFIER_CONFLICT',
      expression: 'Bundle.identifier',
      message: `${used(identifier)} ${advice}`,
    },
  ];
  const cases: Array<{ rule: string; history: SubmitDocument[]; then: (identifier: string) => unknown[] }> = [
    {
      rule: 'after the original: the original is the record to replace',
      history: [original],
      then: conflict(
        'Its current record is rec-1: to replace it, send this document with Composition.relatesTo {code "replaces", targetReference "Composition/rec-1"}; to record it as another document, send it under a new Bundle.identifier.',
      ),
    },
    {
      rule: 'after a replacement: the replacement, the current version, is the record to replace',
      history: [original, replacement],
      then: conflict(
        'Its current record is rec-2: to replace it, send this document with Composition.relatesTo {code "replaces", targetReference "Composition/rec-2"}; to record it as another document, send it under a new Bundle.identifier.',
      ),
    },
    {
      rule: 'after a cancellation: nothing to replace, a new identifier',
      history: [original, cancelOriginal],
      then: conflict(
        'The record sent under it was cancelled by record rec-3, and a cancelled record cannot be replaced; send this document under a new Bundle.identifier.',
      ),
    },
  ];
  it.each(cases)('$rule', ({ history, then }) => {
    const { state } = given(...history);
    const command = submit({ hash: 'h-other', id: 'rec-other' });
    const { system, value } = command.document.bundleIdentifier;
    const decision = decideSubmission(command, state);
    expect(decision.kind === 'reject' && decision.problems).toEqual(then(`${system}|${value}`));
  });
});

describe('submission stream: a resend says whether the resent version is still current', () => {
  const replaceReplacement = submit({
    hash: 'h4',
    id: 'rec-4',
    document: riaDocument({ replaces: 'rec-2' }),
  });
  const cancelReplacement = submit({
    hash: 'h5',
    id: 'rec-5',
    document: riaDocument({ replaces: 'rec-2', status: 'entered-in-error' }),
  });
  const notCurrent = (message: string) => [
    { code: 'NEXO_WARN_RECORD_NOT_CURRENT', severity: 'warning', expression: 'Bundle.identifier', message },
  ];
  const cases: Array<{
    rule: string;
    history: SubmitDocument[];
    resent: SubmitDocument;
    then: { recordId: string; warnings: unknown[] };
  }> = [
    {
      rule: 'the current version resent: no warning',
      history: [original, replacement],
      resent: replacement,
      then: { recordId: 'rec-2', warnings: [] },
    },
    {
      rule: 'a cancellation resent is what the sender asked for: no warning',
      history: [original, cancelOriginal],
      resent: cancelOriginal,
      then: { recordId: 'rec-3', warnings: [] },
    },
    {
      rule: 'a replaced version names its replacement, the current version',
      history: [original, replacement],
      resent: original,
      then: {
        recordId: 'rec-1',
        warnings: notCurrent(
          'this document is a resend of record rec-1, which is no longer current: it was replaced by record rec-2, the current version. Nothing was changed; if this content should be current again, send it as a replacement of record rec-2.',
        ),
      },
    },
    {
      rule: 'a version replaced twice names its replacement and the current version',
      history: [original, replacement, replaceReplacement],
      resent: original,
      then: {
        recordId: 'rec-1',
        warnings: notCurrent(
          'this document is a resend of record rec-1, which is no longer current: it was replaced by record rec-2; the current version is record rec-4. Nothing was changed; if this content should be current again, send it as a replacement of record rec-4.',
        ),
      },
    },
    {
      rule: 'a cancelled version names the cancellation',
      history: [original, cancelOriginal],
      resent: original,
      then: {
        recordId: 'rec-1',
        warnings: notCurrent(
          'this document is a resend of record rec-1, which is no longer current: it was cancelled by record rec-3. Nothing was changed; if this content should be recorded again, send it under a new Bundle.identifier.',
        ),
      },
    },
    {
      rule: 'a version replaced, then cancelled, names both',
      history: [original, replacement, cancelReplacement],
      resent: original,
      then: {
        recordId: 'rec-1',
        warnings: notCurrent(
          'this document is a resend of record rec-1, which is no longer current: it was replaced by record rec-2, and the record was then cancelled by record rec-5. Nothing was changed; if this content should be recorded again, send it under a new Bundle.identifier.',
        ),
      },
    },
    {
      rule: 'the cancelled replacement resent names the cancellation',
      history: [original, replacement, cancelReplacement],
      resent: replacement,
      then: {
        recordId: 'rec-2',
        warnings: notCurrent(
          'this document is a resend of record rec-2, which is no longer current: it was cancelled by record rec-5. Nothing was changed; if this content should be recorded again, send it under a new Bundle.identifier.',
        ),
      },
    },
  ];
  it.each(cases)('$rule', ({ history, resent, then }) => {
    const { state } = given(...history);
    const decision = decideSubmission({ ...resent, newRecordId: 'rec-unused' }, state);
    expect(
      decision.kind === 'resend' && { recordId: decision.recordId, warnings: decision.warnings },
    ).toEqual(then);
  });
});
