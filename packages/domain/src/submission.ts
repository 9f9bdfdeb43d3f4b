import { citizenKey } from '@nexo/identifiers';
import type { Problem, ValidatedDocument, Warning } from '@nexo/fhir';
import {
  EVENT_TYPES,
  type AcceptedDocument,
  type BundleIdentifier,
  type EventDataByType,
  type EventType,
} from './events.ts';
import { IDENTIFIER, checkReplacementTarget, fateOf } from './submission-target.ts';

export { citizenLinkNeeded } from './submission-target.ts';

/**
 * One stream per (sender, Bundle.identifier): the original document, its replacements, its
 * cancellation and every resend of them live together, so one optimistic append decides
 * between "new", "resend", "replacement", "cancellation" and "conflict" without a race.
 */
export interface SubmissionState {
  readonly version: number;
  readonly recordType?: ValidatedDocument['recordType'];
  /**
   * The citizen key the record is filed under: the original's, for every later version. A
   * replacement or cancellation may name another identifier of the same person (the registry links
   * them) and stays under this key; see `filedUnder`.
   */
  readonly citizenKey?: string;
  /** The record id the citizen sees now (undefined before the first document). */
  readonly current?: string;
  readonly cancelled: boolean;
  /** Every accepted version: record id by content hash, to answer resends of any of them. */
  readonly versionsByHash: Readonly<Record<string, string>>;
  /**
   * Every accepted version, in order. The stream is a chain: each version after the first replaces
   * or cancels the one before it (decide accepts only the current version as a target), and a
   * cancellation, when there is one, is the last.
   */
  readonly recordIds: readonly string[];
}

export const initialSubmissionState = (): SubmissionState => ({
  version: 0,
  cancelled: false,
  versionsByHash: {},
  recordIds: [],
});

export interface SubmissionEventLike {
  readonly type: string;
  readonly data: unknown;
}

export const evolveSubmission = (state: SubmissionState, event: SubmissionEventLike): SubmissionState => {
  const version = state.version + 1;
  switch (event.type) {
    case EVENT_TYPES.recordSubmitted:
    case EVENT_TYPES.recordReplaced:
    case EVENT_TYPES.recordCancelled: {
      const data = event.data as AcceptedDocument;
      return {
        version,
        recordType: data.recordType,
        // The first version sets the key; later ones may name another identifier of the same
        // person and stay filed under it (events written before that was allowed all share it).
        citizenKey: state.citizenKey ?? citizenKey(data.citizen),
        current: data.recordId,
        cancelled: event.type === EVENT_TYPES.recordCancelled,
        versionsByHash: { ...state.versionsByHash, [data.contentHash]: data.recordId },
        recordIds: [...state.recordIds, data.recordId],
      };
    }
    default:
      // Events of other types never enter a submission stream; counting them keeps the version right.
      return { ...state, version };
  }
};

/** Submit a validated document. Ids and time come in, so decide stays pure. */
export interface SubmitDocument {
  readonly document: ValidatedDocument;
  readonly rawDocument: unknown;
  readonly contentHash: string;
  /** The id a new version would get (UUID v7 made by the caller). */
  readonly newRecordId: string;
  /**
   * What the caller knows of a replacement target that is NOT in this stream: another
   * sender's record (forbidden) or the sender's own record under another Bundle.identifier.
   */
  readonly foreignTarget?: { readonly ownedBySender: boolean };
  /**
   * Whether the national registry links the document's subject and the citizen the stream is filed
   * under to one person (merges followed), as the caller read it for this decision. Only asked
   * when `citizenLinkNeeded` says the decision turns on it; absent counts as not linked.
   */
  readonly sameCitizen?: boolean;
}

/**
 * `append` changes the stream and must be appended with the version decided on; `resend` changes
 * nothing (it repeats an accepted version), so it is recorded in a stream of its own and never
 * contends with other writers of the submission. A resend of a version that was since replaced or
 * cancelled carries a warning saying so: the answer repeats the old record id, and the sender's
 * software must not take it for the current one.
 */
export type Decision =
  | {
      readonly kind: 'append';
      readonly type: EventType;
      readonly data: EventDataByType[EventType];
      readonly recordId: string;
      /** The envelope's citizen key (see `filedUnder`). */
      readonly citizenKey: string;
    }
  | {
      readonly kind: 'resend';
      readonly type: typeof EVENT_TYPES.resendIgnored;
      readonly data: EventDataByType['ResendIgnored'];
      readonly recordId: string;
      readonly citizenKey: string;
      readonly warnings: readonly Warning[];
    }
  | { readonly kind: 'reject'; readonly problems: readonly Problem[] };

const reject = (problem: Problem): Decision => ({ kind: 'reject', problems: [problem] });

/**
 * The citizen key of every event of a stream: the original's. A replacement or cancellation naming
 * another identifier of the same person is filed under it too, never under the identifier it
 * names: events are partitioned and ordered per citizen key (Kafka in the distributed mode), and
 * moving a record's later versions to another key would let a replacement be consumed before the
 * original it replaces. The citizen's views already union every identifier the registry links to
 * the person, so the citizen sees the corrected record under any of them, and a correction request
 * about the record stays with it. The document itself keeps the identifier it names, as sent.
 */
const filedUnder = (command: SubmitDocument, state: SubmissionState): string =>
  state.citizenKey ?? citizenKey(command.document.subject);

/**
 * The answer to a resend: `contentHash` is a version the stream accepted, answered with its record
 * id whatever happened since; undefined when it is none. It needs no validated document, so a
 * version accepted under rules a later release tightened is still answered as a resend.
 */
export const decideResend = (
  state: SubmissionState,
  contentHash: string,
): Extract<Decision, { kind: 'resend' }> | undefined => {
  const resent = state.versionsByHash[contentHash];
  if (resent === undefined || state.recordType === undefined || state.citizenKey === undefined)
    return undefined;
  const notCurrent = supersededVersion(state, resent);
  return {
    kind: 'resend',
    type: EVENT_TYPES.resendIgnored,
    data: { recordId: resent, contentHash, recordType: state.recordType },
    recordId: resent,
    citizenKey: state.citizenKey,
    warnings: notCurrent ? [notCurrent] : [],
  };
};

export const decideSubmission = (command: SubmitDocument, state: SubmissionState): Decision => {
  const { document } = command;
  const key = filedUnder(command, state);
  const resend = decideResend(state, command.contentHash);
  if (resend !== undefined) return resend;
  const accepted: AcceptedDocument = {
    recordId: command.newRecordId,
    recordType: document.recordType,
    model: document.model,
    bundleIdentifier: document.bundleIdentifier,
    citizen: document.subject,
    documentDate: document.documentDate,
    contentHash: command.contentHash,
    document: command.rawDocument,
  };
  if (document.replaces === undefined) {
    if (state.version > 0) return reject(identifierReused(document.bundleIdentifier, state));
    return {
      kind: 'append',
      type: EVENT_TYPES.recordSubmitted,
      data: { ...accepted, summary: document.summary },
      recordId: accepted.recordId,
      citizenKey: key,
    };
  }
  const problem = checkReplacementTarget(command, state);
  if (problem) return reject(problem);
  if (document.status === 'entered-in-error') {
    return {
      kind: 'append',
      type: EVENT_TYPES.recordCancelled,
      data: { ...accepted, cancels: document.replaces },
      recordId: accepted.recordId,
      citizenKey: key,
    };
  }
  return {
    kind: 'append',
    type: EVENT_TYPES.recordReplaced,
    data: { ...accepted, summary: document.summary, replaces: document.replaces },
    recordId: accepted.recordId,
    citizenKey: key,
  };
};

/**
 * The same Bundle.identifier with other content and no relatesTo. The commonest cause is a retry
 * of the same document re-serialised by the sender's software (a new Bundle.timestamp, meta or
 * fullUrls): other content to Nexo. The answer names the record the identifier holds now, so the
 * sender can send a replacement of it; only this sender sees it (the stream is the sender's own).
 */
const identifierReused = (identifier: BundleIdentifier, state: SubmissionState): Problem => {
  const { current } = state;
  const used =
    `Bundle.identifier ${identifier.system}|${identifier.value} was already used by this sender for a ` +
    'document with other content (a resend must repeat the accepted document exactly: a new ' +
    'Bundle.timestamp, meta or fullUrl is other content).';
  const advice =
    current === undefined
      ? 'Send this document under a new Bundle.identifier.'
      : state.cancelled
        ? `The record sent under it was cancelled by record ${current}, and a cancelled record cannot be replaced; send this document under a new Bundle.identifier.`
        : `Its current record is ${current}: to replace it, send this document with Composition.relatesTo ` +
          `{code "replaces", targetReference "Composition/${current}"}; to record it as another document, send it under a new Bundle.identifier.`;
  return { code: 'NEXO_ERR_IDENTIFIER_CONFLICT', expression: IDENTIFIER, message: `${used} ${advice}` };
};

/**
 * Why a resent version is no longer the one the citizen sees, or undefined while it is: what
 * replaced or cancelled it, and where the chain stands now. A resent cancellation is the current
 * version of its chain (it is what the sender asked for), so it carries no warning.
 */
const supersededVersion = (state: SubmissionState, recordId: string): Warning | undefined => {
  const { current, cancelled } = state;
  const next = state.recordIds[state.recordIds.indexOf(recordId) + 1];
  if (current === undefined || recordId === current || next === undefined) return undefined;
  const action = cancelled
    ? 'if this content should be recorded again, send it under a new Bundle.identifier.'
    : `if this content should be current again, send it as a replacement of record ${current}.`;
  return {
    code: 'NEXO_WARN_RECORD_NOT_CURRENT',
    severity: 'warning',
    expression: IDENTIFIER,
    message: `this document is a resend of record ${recordId}, which is no longer current: ${fateOf(next, current, cancelled)}. Nothing was changed; ${action}`,
  };
};
