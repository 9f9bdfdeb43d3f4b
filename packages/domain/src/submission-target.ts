import { citizenKey } from '@nexo/identifiers';
import type { Problem } from '@nexo/fhir';
import type { SubmissionState, SubmitDocument } from './submission.ts';

export const IDENTIFIER = 'Bundle.identifier';
const RELATES_TO = 'Bundle.entry[0].resource.relatesTo[0].targetReference.reference';
const SUBJECT = 'Bundle.entry[0].resource.subject.identifier';

/** What a document naming a target asks for, in the words its answers use. */
interface Intent {
  /** `a replacement`, `a cancellation` */
  readonly noun: string;
  /** `replace`, `cancel` */
  readonly verb: string;
  /** `replaces`, `cancels` */
  readonly does: string;
  readonly cancels: boolean;
}

const intentOf = (command: SubmitDocument): Intent =>
  command.document.status === 'entered-in-error'
    ? { noun: 'a cancellation', verb: 'cancel', does: 'cancels', cancels: true }
    : { noun: 'a replacement', verb: 'replace', does: 'replaces', cancels: false };

/**
 * Why a replacement or cancellation may not name its target, or undefined when it may. The target
 * must be a version of this stream (else it is another sender's, another identifier's, or unknown),
 * the stream must not be cancelled (a cancellation is final), the target must be the current
 * version, and the record type and the citizen must stay: the same identifier, or another one the
 * national registry links to the same person (`sameCitizen`).
 */
export const checkReplacementTarget = (
  command: SubmitDocument,
  state: SubmissionState,
): Problem | undefined => targetProblem(command, state) ?? citizenProblem(command, state);

/** Every reason to refuse the target but the citizen, in the order the answers give them. */
const targetProblem = (command: SubmitDocument, state: SubmissionState): Problem | undefined => {
  const target = command.document.replaces ?? '';
  const intent = intentOf(command);
  if (!state.recordIds.includes(target)) return targetNotInStream(command, state, target, intent);
  if (state.cancelled) return targetCancelled(state, target, intent);
  if (target !== state.current) return targetStale(state, target, intent);
  return recordTypeChanged(command, state, intent);
};

const targetNotInStream = (
  command: SubmitDocument,
  state: SubmissionState,
  target: string,
  intent: Intent,
): Problem => {
  if (command.foreignTarget && !command.foreignTarget.ownedBySender) {
    return {
      code: 'NEXO_ERR_FORBIDDEN',
      expression: RELATES_TO,
      message: `record ${target} was sent by another establishment; only its sender may replace or cancel it.`,
    };
  }
  if (command.foreignTarget?.ownedBySender) {
    return {
      code: 'NEXO_ERR_BUSINESS_RULE',
      expression: IDENTIFIER,
      message: `record ${target} was sent under another Bundle.identifier; ${intent.noun} must carry the Bundle.identifier of the record it ${intent.does}.`,
    };
  }
  const { current } = state;
  const message =
    current === undefined
      ? `no document was accepted under this Bundle.identifier, so it holds no record ${target} to ${intent.verb}. ` +
        `${capitalised(intent.noun)} must carry the Bundle.identifier of the record it ${intent.does} and name that record's id (the last segment of the Location Nexo returned for it).`
      : state.cancelled
        ? `no record ${target} was sent under this Bundle.identifier, and the record sent under it was cancelled by record ${current}. ${cancelledAdvice(intent)}`
        : `no record ${target} was sent under this Bundle.identifier; its current version is record ${current}, the one to ${intent.verb} (relatesTo targetReference "Composition/${current}").`;
  return { code: 'NEXO_ERR_UNKNOWN_TARGET', expression: RELATES_TO, message };
};

/** The stream ends with a cancellation: no version of it can be replaced or cancelled any more. */
const targetCancelled = (state: SubmissionState, target: string, intent: Intent): Problem => {
  const { recordIds } = state;
  const current = state.current ?? '';
  const what =
    target === current
      ? `record ${target} is the cancellation of record ${recordIds.at(-2) ?? ''}.`
      : `record ${target} is no longer current: ${fateOf(recordIds[recordIds.indexOf(target) + 1] ?? current, current, true)}.`;
  return {
    code: 'NEXO_ERR_RECORD_CANCELLED',
    expression: RELATES_TO,
    message: `${what} ${cancelledAdvice(intent)}`,
  };
};

const cancelledAdvice = (intent: Intent): string =>
  intent.cancels
    ? 'The record is already cancelled; there is nothing left to cancel.'
    : 'A cancelled record cannot be replaced; send the corrected content as a new document, under a new Bundle.identifier.';

/** The target was replaced: only the current version may be replaced or cancelled. */
const targetStale = (state: SubmissionState, target: string, intent: Intent): Problem => {
  const { recordIds } = state;
  const current = state.current ?? '';
  const next = recordIds[recordIds.indexOf(target) + 1] ?? current;
  return {
    code: 'NEXO_ERR_STALE_REPLACEMENT',
    expression: RELATES_TO,
    message:
      `record ${target} is no longer current: ${fateOf(next, current, false)}. ` +
      `${capitalised(intent.verb)} the current version instead (relatesTo targetReference "Composition/${current}").`,
  };
};

const recordTypeChanged = (
  command: SubmitDocument,
  state: SubmissionState,
  intent: Intent,
): Problem | undefined =>
  state.recordType === command.document.recordType
    ? undefined
    : {
        code: 'NEXO_ERR_BUSINESS_RULE',
        expression: 'Bundle.entry[0].resource.type',
        message: `${intent.noun} must keep the record type of the record it ${intent.does} (${state.recordType ?? ''}).`,
      };

/** The document names another identifier than the one the stream is filed under. */
const citizenChanged = (command: SubmitDocument, state: SubmissionState): boolean =>
  state.citizenKey !== citizenKey(command.document.subject);

const citizenProblem = (command: SubmitDocument, state: SubmissionState): Problem | undefined => {
  if (!citizenChanged(command, state) || command.sameCitizen === true) return undefined;
  const relink =
    'If both identifiers belong to the same person, the national registry must link them first, then send it again;';
  return {
    code: 'NEXO_ERR_BUSINESS_RULE',
    expression: SUBJECT,
    message: intentOf(command).cancels
      ? `a cancellation must name the same citizen as the record it cancels. ${relink} otherwise cancel the record naming the citizen it was sent for, and send a new document for the right citizen.`
      : `a replacement must name the same citizen as the original. ${relink} otherwise cancel the original and send a new document for the right citizen.`,
  };
};

/**
 * Whether the decision on this document turns on the national registry: a replacement or
 * cancellation that nothing but its citizen would refuse (checkReplacementTarget's other checks
 * pass), naming another identifier than the one the stream is filed under. It is then accepted
 * only when the registry links both to one person (`SubmitDocument.sameCitizen`). Never true for
 * a first document, a resend, or the same identifier: the common path reads no registry.
 */
export const citizenLinkNeeded = (command: SubmitDocument, state: SubmissionState): boolean =>
  command.document.replaces !== undefined &&
  state.versionsByHash[command.contentHash] === undefined &&
  targetProblem(command, state) === undefined &&
  citizenChanged(command, state);

/** What became of a version, from the version after it and the chain's current one. */
export const fateOf = (next: string, current: string, cancelled: boolean): string => {
  if (cancelled)
    return next === current
      ? `it was cancelled by record ${current}`
      : `it was replaced by record ${next}, and the record was then cancelled by record ${current}`;
  return next === current
    ? `it was replaced by record ${current}, the current version`
    : `it was replaced by record ${next}; the current version is record ${current}`;
};

const capitalised = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
