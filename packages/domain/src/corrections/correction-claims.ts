import type { CorrectionState } from './decide-correction.ts';

/**
 * At most one request in progress per record, decided on the event streams, not on the read
 * model. Each record has a claims stream (`correction-record-<record id>`) whose last
 * `CorrectionRecordClaimed` names the protocol that holds the record. Opening a request reads it,
 * reads that protocol's own stream to see whether its request is still in progress, and, when the
 * record is free, appends a new claim expecting the version it read: of two concurrent openings,
 * one append conflicts, and the loser decides again on the winner's claim.
 *
 * The claim is appended before the request's `CorrectionRequested` (two streams, two appends), so a
 * crash between them leaves a claim whose protocol stream is empty. Such a claim holds the record
 * while it is fresh (its request is on its way); once older than `CORRECTION_CLAIM_TIMEOUT_MS` the
 * next opening voids it by appending `CorrectionClaimVoided` to that protocol's stream expecting
 * it empty, which also fences off a writer that was only slow: its `CorrectionRequested`, which
 * expects the stream empty too, then conflicts. Safety rests on the fence, not on clocks.
 */

/** The protocol that claimed the record; its `CorrectionRequested` follows on its own stream. */
export interface CorrectionRecordClaimedData {
  readonly recordId: string;
  readonly protocol: string;
}

/** A claim's request never came; the protocol stays unused for good (on the protocol's stream). */
export interface CorrectionClaimVoidedData {
  readonly protocol: string;
  readonly recordId: string;
}

export interface CorrectionClaimEventData {
  CorrectionRecordClaimed: CorrectionRecordClaimedData;
  CorrectionClaimVoided: CorrectionClaimVoidedData;
}

export type CorrectionClaimEventType = keyof CorrectionClaimEventData;

export type CorrectionClaimEvent = {
  [K in CorrectionClaimEventType]: { readonly type: K; readonly data: CorrectionClaimEventData[K] };
}[CorrectionClaimEventType];

/** The claims of one record; the requests themselves live in `correction-<protocol>`. */
export const correctionRecordStream = (recordId: string): string => `correction-record-${recordId}`;

/** How long a claim without its request is taken for one on its way (the two appends take ms). */
export const CORRECTION_CLAIM_TIMEOUT_MS = 10_000;

export interface CorrectionClaimState {
  readonly version: number;
  /** The last claim, and when it was made. */
  readonly claim?: { readonly protocol: string; readonly at: string };
}

export const initialCorrectionClaimState = (): CorrectionClaimState => ({ version: 0 });

export const evolveCorrectionClaim = (
  state: CorrectionClaimState,
  event: { readonly type: string; readonly data: unknown; readonly occurredAt: string },
): CorrectionClaimState => {
  const version = state.version + 1;
  if (event.type !== 'CorrectionRecordClaimed') return { ...state, version };
  const { protocol } = event.data as CorrectionRecordClaimedData;
  return { version, claim: { protocol, at: event.occurredAt } };
};

/** Whether the request on this stream is about the record and not closed yet. */
export const isInProgressAbout = (holder: CorrectionState, recordId: string): boolean =>
  holder.request?.recordId === recordId && holder.status !== 'closed';

export type CorrectionClaimDecision =
  /** No request about the record is in progress: claim it for a new protocol. */
  | { readonly kind: 'free' }
  /** The request under `protocol` is in progress: refuse the new one. */
  | { readonly kind: 'in-progress'; readonly protocol: string }
  /** Claimed moments ago and its request not written yet: read again shortly. */
  | { readonly kind: 'opening'; readonly protocol: string }
  /** Claimed long ago and its request never written: void the claim, then the record is free. */
  | { readonly kind: 'abandoned'; readonly protocol: string };

/**
 * Whether a request about `recordId` may be opened at `at`, given the record's claims and the
 * state of the last claim's protocol stream (`holder`, the initial state when it is empty). A
 * protocol stream that holds another record's request (the number was taken between the claim and
 * the request) or a void never held the record: the record is free.
 */
export const decideCorrectionClaim = (
  command: { readonly recordId: string; readonly at: string },
  claims: CorrectionClaimState,
  holder: CorrectionState,
): CorrectionClaimDecision => {
  const claim = claims.claim;
  if (!claim) return { kind: 'free' };
  if (isInProgressAbout(holder, command.recordId)) return { kind: 'in-progress', protocol: claim.protocol };
  if (holder.version > 0) return { kind: 'free' };
  return Date.parse(command.at) - Date.parse(claim.at) < CORRECTION_CLAIM_TIMEOUT_MS
    ? { kind: 'opening', protocol: claim.protocol }
    : { kind: 'abandoned', protocol: claim.protocol };
};

export const recordClaimed = (recordId: string, protocol: string): CorrectionClaimEvent => ({
  type: 'CorrectionRecordClaimed',
  data: { recordId, protocol },
});

export const claimVoided = (protocol: string, recordId: string): CorrectionClaimEvent => ({
  type: 'CorrectionClaimVoided',
  data: { protocol, recordId },
});
