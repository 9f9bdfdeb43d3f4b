import { charactersExceed, type Problem } from '@nexo/fhir';
import { addBusinessDays } from './business-days.ts';
import {
  isCorrectionEvent,
  type CorrectionClosedData,
  type CorrectionEvent,
  type CorrectionRating,
  type CorrectionRequestedData,
} from './correction-events.ts';

/** Business days the citizen has to confirm or reopen an answer before the request closes by itself. */
export const CORRECTION_REACTION_BUSINESS_DAYS = 3;
export const CORRECTION_TEXT_MAX = 2000;
export const CORRECTION_COMMENT_MAX = 500;

export type CorrectionStatus = 'open' | 'answered' | 'reopened' | 'closed';

export interface CorrectionState {
  readonly version: number;
  readonly request?: CorrectionRequestedData;
  readonly status?: CorrectionStatus;
  readonly closesAt?: string;
  readonly closedBy?: CorrectionClosedData['closedBy'];
  readonly rated: boolean;
}

export const initialCorrectionState = (): CorrectionState => ({ version: 0, rated: false });

export const evolveCorrection = (
  state: CorrectionState,
  event: { readonly type: string; readonly data: unknown },
): CorrectionState => {
  const version = state.version + 1;
  if (!isCorrectionEvent(event)) return { ...state, version };
  switch (event.type) {
    case 'CorrectionRequested':
      return { version, request: event.data, status: 'open', rated: false };
    case 'CorrectionAnswered':
      return { ...state, version, status: 'answered', closesAt: event.data.closesAt };
    case 'CorrectionReopened': {
      const { closesAt: _closesAt, ...rest } = state;
      return { ...rest, version, status: 'reopened' };
    }
    case 'CorrectionClosed': {
      const { closesAt: _closesAt, ...rest } = state;
      return { ...rest, version, status: 'closed', closedBy: event.data.closedBy };
    }
    case 'CorrectionRated':
      return { ...state, version, rated: true };
  }
};

/** Time comes in every command (the domain has no clock); citizens act with every key of their person. */
export type CorrectionCommand =
  | ({ readonly kind: 'request'; readonly at: string } & CorrectionRequestedData)
  | { readonly kind: 'answer'; readonly establishment: string; readonly message: string; readonly at: string }
  | {
      readonly kind: 'confirm';
      readonly citizenKeys: readonly string[];
      readonly rating?: CorrectionRating;
      readonly comment?: string;
      readonly at: string;
    }
  | {
      readonly kind: 'reopen';
      readonly citizenKeys: readonly string[];
      readonly reason: string;
      readonly at: string;
    }
  | {
      readonly kind: 'rate';
      readonly citizenKeys: readonly string[];
      readonly rating: CorrectionRating;
      readonly comment?: string;
      readonly at: string;
    }
  | { readonly kind: 'expire'; readonly at: string };

export type CorrectionDecision =
  | { readonly kind: 'append'; readonly events: readonly CorrectionEvent[] }
  | { readonly kind: 'reject'; readonly problems: readonly Problem[] };

const reject = (code: Problem['code'], message: string, expression?: string): CorrectionDecision => ({
  kind: 'reject',
  problems: [{ code, message, ...(expression ? { expression } : {}) }],
});

/** Another citizen's or establishment's request answers exactly like a missing one. */
const notFound = (): CorrectionDecision => reject('NEXO_ERR_NOT_FOUND', 'no such correction request.');
const wrongState = (message: string): CorrectionDecision => reject('NEXO_ERR_CORRECTION_STATE', message);

/** What is wrong with a message, reason or comment (blank, or longer than `max`), if anything. */
export const correctionTextProblem = (
  text: string,
  field: string,
  max = CORRECTION_TEXT_MAX,
): Problem | undefined =>
  text.trim().length === 0 || charactersExceed(text, max)
    ? {
        code: 'NEXO_ERR_VALIDATION_REQUIRED',
        expression: field,
        message: `${field} must be text of 1 to ${max} characters.`,
      }
    : undefined;

const textProblem = (text: string, field: string, max: number): CorrectionDecision | undefined => {
  const problem = correctionTextProblem(text, field, max);
  return problem ? { kind: 'reject', problems: [problem] } : undefined;
};

const isBefore = (a: string, b: string): boolean => Date.parse(a) < Date.parse(b);

const append = (...events: CorrectionEvent[]): CorrectionDecision => ({ kind: 'append', events });

export const decideCorrection = (command: CorrectionCommand, state: CorrectionState): CorrectionDecision => {
  if (command.kind === 'request') {
    if (state.version > 0) return wrongState(`protocol ${command.protocol} is already in use.`);
    const { kind: _kind, at: _at, ...data } = command;
    return (
      textProblem(command.message, 'message', CORRECTION_TEXT_MAX) ??
      append({ type: 'CorrectionRequested', data })
    );
  }
  const request = state.request;
  if (!request) return notFound();
  if (command.kind === 'expire') return expire(command.at, state, request.protocol);
  if (command.kind === 'answer') {
    if (command.establishment !== request.establishment) return notFound();
    if (state.status === 'answered')
      return wrongState('the request was answered; the citizen confirms or reopens it.');
    if (state.status === 'closed') return wrongState('the request is closed.');
    return (
      textProblem(command.message, 'message', CORRECTION_TEXT_MAX) ??
      append({
        type: 'CorrectionAnswered',
        data: {
          protocol: request.protocol,
          message: command.message,
          closesAt: addBusinessDays(command.at, CORRECTION_REACTION_BUSINESS_DAYS),
        },
      })
    );
  }
  if (!command.citizenKeys.includes(request.citizenKey)) return notFound();
  const comment = command.kind === 'reopen' ? undefined : command.comment;
  if (comment !== undefined) {
    const problem = textProblem(comment, 'comment', CORRECTION_COMMENT_MAX);
    if (problem) return problem;
  }
  const rated = (rating: CorrectionRating): CorrectionEvent => ({
    type: 'CorrectionRated',
    data: { protocol: request.protocol, rating, ...(comment !== undefined ? { comment } : {}) },
  });
  switch (command.kind) {
    case 'confirm': {
      if (state.status !== 'answered') return wrongState(notAnsweredMessage(state, 'confirmed'));
      // Past the deadline the request has closed by itself, the scheduler recording it within a
      // minute: the citizen's move ended then, for a confirmation as for a reopening.
      const confirmDeadline = deadlinePassed(state, command.at);
      if (confirmDeadline) return wrongState(closedByItself(confirmDeadline, 'confirmed'));
      const closed: CorrectionEvent = {
        type: 'CorrectionClosed',
        data: { protocol: request.protocol, closedBy: 'citizen' },
      };
      return command.rating ? append(closed, rated(command.rating)) : append(closed);
    }
    case 'reopen': {
      if (state.status !== 'answered') return wrongState(notAnsweredMessage(state, 'reopened'));
      const reopenDeadline = deadlinePassed(state, command.at);
      if (reopenDeadline) return wrongState(closedByItself(reopenDeadline, 'reopened'));
      return (
        textProblem(command.reason, 'reason', CORRECTION_TEXT_MAX) ??
        append({ type: 'CorrectionReopened', data: { protocol: request.protocol, reason: command.reason } })
      );
    }
    case 'rate':
      // Past the deadline the request has closed by itself, before the scheduler records it: the
      // rating records the closing first, as the scheduler would have.
      if (deadlinePassed(state, command.at))
        return append(
          { type: 'CorrectionClosed', data: { protocol: request.protocol, closedBy: 'deadline' } },
          rated(command.rating),
        );
      if (state.status !== 'closed') return wrongState('a request is rated once it is closed.');
      if (state.rated) return wrongState('the request was rated already.');
      return append(rated(command.rating));
  }
};

/**
 * The deadline of an answered request once `at` reached it: the request has closed by itself then,
 * whether or not the scheduler recorded it yet. Undefined while the citizen may still act.
 */
const deadlinePassed = (state: CorrectionState, at: string): string | undefined =>
  state.status === 'answered' && state.closesAt !== undefined && !isBefore(at, state.closesAt)
    ? state.closesAt
    : undefined;

type CitizenMove = 'confirmed' | 'reopened';

const afterClosing = (move: CitizenMove): string =>
  move === 'reopened'
    ? 'cannot be reopened; open a new request.'
    : 'needs no confirmation; rate it if you wish.';

const closedByItself = (closesAt: string, move: CitizenMove): string =>
  `the answer went unchallenged until ${closesAt}, so the request closed by itself and ${afterClosing(move)}`;

const notAnsweredMessage = (state: CorrectionState, move: CitizenMove): string =>
  state.status === 'closed'
    ? state.closedBy === 'deadline'
      ? `the request closed by itself after the deadline and ${afterClosing(move)}`
      : 'the request is closed.'
    : 'the establishment has not answered yet.';

const expire = (at: string, state: CorrectionState, protocol: string): CorrectionDecision => {
  if (state.status !== 'answered' || state.closesAt === undefined)
    return wrongState(`request ${protocol} is not waiting for the citizen.`);
  if (!deadlinePassed(state, at)) return wrongState(`request ${protocol} closes at ${state.closesAt}.`);
  return append({ type: 'CorrectionClosed', data: { protocol, closedBy: 'deadline' } });
};
