import type { RecordType } from '@nexo/fhir';

/**
 * A citizen's request to correct one of their records (LGPD art. 18 III), tracked the way the
 * national ombudsman's web service tracks a case: a protocol number, a timeline, an answer from
 * the establishment that sent the record, the citizen's confirmation or reopening, a rating.
 */

/** The five-point scale a closed request may be rated on (from 1 to 5). */
export const CORRECTION_RATINGS = [
  'very-dissatisfied',
  'dissatisfied',
  'neutral',
  'satisfied',
  'very-satisfied',
] as const;
export type CorrectionRating = (typeof CORRECTION_RATINGS)[number];

export const isCorrectionRating = (value: unknown): value is CorrectionRating =>
  typeof value === 'string' && (CORRECTION_RATINGS as readonly string[]).includes(value);

/** The request was opened about one current record; the establishment that sent it answers. */
export interface CorrectionRequestedData {
  /** Human-friendly and unique: `<year>-<sequence of six digits or more>`, e.g. `2026-000123`. */
  readonly protocol: string;
  readonly recordId: string;
  readonly recordType: RecordType;
  /** CNES of the establishment that sent the record: the request lands in its inbox. */
  readonly establishment: string;
  /** The citizen key the record was sent under; whoever that identifier names may follow the request. */
  readonly citizenKey: string;
  readonly message: string;
}

export interface CorrectionAnsweredData {
  readonly protocol: string;
  readonly message: string;
  /** When the request closes by itself if the citizen neither confirms nor reopens it. */
  readonly closesAt: string;
}

export interface CorrectionReopenedData {
  readonly protocol: string;
  readonly reason: string;
}

export const CORRECTION_CLOSERS = ['citizen', 'deadline'] as const;

export interface CorrectionClosedData {
  readonly protocol: string;
  /** `citizen`: the citizen confirmed the answer; `deadline`: no reaction within the deadline. */
  readonly closedBy: (typeof CORRECTION_CLOSERS)[number];
}

export interface CorrectionRatedData {
  readonly protocol: string;
  readonly rating: CorrectionRating;
  readonly comment?: string;
}

export interface CorrectionEventData {
  CorrectionRequested: CorrectionRequestedData;
  CorrectionAnswered: CorrectionAnsweredData;
  CorrectionReopened: CorrectionReopenedData;
  CorrectionClosed: CorrectionClosedData;
  CorrectionRated: CorrectionRatedData;
}

export type CorrectionEventType = keyof CorrectionEventData;

export const CORRECTION_EVENT_TYPES: readonly CorrectionEventType[] = [
  'CorrectionRequested',
  'CorrectionAnswered',
  'CorrectionReopened',
  'CorrectionClosed',
  'CorrectionRated',
];

export type CorrectionEvent = {
  [K in CorrectionEventType]: { readonly type: K; readonly data: CorrectionEventData[K] };
}[CorrectionEventType];

export const isCorrectionEvent = (event: { readonly type: string }): event is CorrectionEvent =>
  (CORRECTION_EVENT_TYPES as readonly string[]).includes(event.type);

/** Every event of one request lives in its own stream, named by the protocol. */
export const correctionStream = (protocol: string): string => `correction-${protocol}`;

const PROTOCOL = /^(\d{4})-(\d{6,})$/;

export const formatProtocol = (year: number, sequence: number): string =>
  `${year}-${String(sequence).padStart(6, '0')}`;

/** Year and sequence of a protocol, or undefined when the text is not one. */
export const parseProtocol = (text: string): { year: number; sequence: number } | undefined => {
  const match = PROTOCOL.exec(text);
  if (!match?.[1] || !match[2] || match[2].length > 12) return undefined;
  return { year: Number(match[1]), sequence: Number(match[2]) };
};
