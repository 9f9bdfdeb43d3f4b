import type { RecordType } from '@nexo/fhir';
import { isCorrectionEvent, type CorrectionRating } from './correction-events.ts';
import type { CorrectionStatus } from './decide-correction.ts';

/** One interaction on a request, as both sides see it. */
export interface CorrectionTimelineItem {
  readonly at: string;
  readonly by: 'citizen' | 'establishment' | 'system';
  readonly kind:
    'requested' | 'answered' | 'reopened' | 'closed' | 'rated' | 'record-replaced' | 'record-cancelled';
  readonly message?: string;
  /** The replacement or cancellation record, on `record-replaced` and `record-cancelled`. */
  readonly recordId?: string;
  readonly rating?: CorrectionRating;
}

/** A replacement or cancellation of the request's record, linked when the establishment sends it. */
export interface LinkedRecord {
  readonly recordId: string;
  readonly kind: 'replacement' | 'cancellation';
  readonly at: string;
}

/** The read model of one request (`correction-requests/<protocol>`), shared by both sides. */
export interface CorrectionRequestView {
  readonly protocol: string;
  readonly recordId: string;
  readonly recordType: RecordType;
  readonly establishment: string;
  readonly citizenKey: string;
  readonly status: CorrectionStatus;
  readonly openedAt: string;
  /** The last interaction; lists sort by it, newest first. */
  readonly updatedAt: string;
  /** While answered: when the request closes by itself. */
  readonly closesAt?: string;
  readonly closedAt?: string;
  readonly closedBy?: 'citizen' | 'deadline';
  readonly rating?: { readonly value: CorrectionRating; readonly comment?: string };
  readonly linkedRecords: readonly LinkedRecord[];
  readonly timeline: readonly CorrectionTimelineItem[];
  /** The request stream's version applied: an event applied twice changes nothing. */
  readonly version: number;
}

export interface CorrectionEventEnvelope {
  readonly type: string;
  readonly data: unknown;
  readonly version: number;
  readonly occurredAt: string;
}

/** Applies one event of the request's stream; returns the same view when it changes nothing. */
export const applyCorrectionEvent = (
  view: CorrectionRequestView | undefined,
  envelope: CorrectionEventEnvelope,
): CorrectionRequestView | undefined => {
  if (!isCorrectionEvent(envelope)) return view;
  if (view && envelope.version <= view.version) return view;
  const at = envelope.occurredAt;
  const event = envelope;
  if (event.type === 'CorrectionRequested') {
    if (view) return view;
    const { protocol, recordId, recordType, establishment, citizenKey, message } = event.data;
    return {
      protocol,
      recordId,
      recordType,
      establishment,
      citizenKey,
      status: 'open',
      openedAt: at,
      updatedAt: at,
      linkedRecords: [],
      timeline: [{ at, by: 'citizen', kind: 'requested', message }],
      version: envelope.version,
    };
  }
  if (!view) return view;
  const next = { ...view, version: envelope.version, updatedAt: at };
  const item = (entry: Omit<CorrectionTimelineItem, 'at'>) => [...view.timeline, { at, ...entry }];
  switch (event.type) {
    case 'CorrectionAnswered':
      return {
        ...next,
        status: 'answered',
        closesAt: event.data.closesAt,
        timeline: item({ by: 'establishment', kind: 'answered', message: event.data.message }),
      };
    case 'CorrectionReopened': {
      const { closesAt: _closesAt, ...rest } = next;
      return {
        ...rest,
        status: 'reopened',
        timeline: item({ by: 'citizen', kind: 'reopened', message: event.data.reason }),
      };
    }
    case 'CorrectionClosed': {
      const { closesAt: _closesAt, ...rest } = next;
      const by = event.data.closedBy === 'citizen' ? 'citizen' : 'system';
      return {
        ...rest,
        status: 'closed',
        closedAt: at,
        closedBy: event.data.closedBy,
        timeline: item({ by, kind: 'closed' }),
      };
    }
    case 'CorrectionRated': {
      const comment = event.data.comment;
      return {
        ...next,
        rating: { value: event.data.rating, ...(comment !== undefined ? { comment } : {}) },
        timeline: item({
          by: 'citizen',
          kind: 'rated',
          rating: event.data.rating,
          ...(comment !== undefined ? { message: comment } : {}),
        }),
      };
    }
  }
};

/**
 * Links a replacement or cancellation of the request's record (from RecordReplaced or
 * RecordCancelled in the log) to the request; linking the same record twice changes nothing.
 */
export const linkRecordChange = (view: CorrectionRequestView, change: LinkedRecord): CorrectionRequestView =>
  view.linkedRecords.some((l) => l.recordId === change.recordId)
    ? view
    : {
        ...view,
        updatedAt: Date.parse(change.at) > Date.parse(view.updatedAt) ? change.at : view.updatedAt,
        linkedRecords: [...view.linkedRecords, change],
        timeline: [
          ...view.timeline,
          {
            at: change.at,
            by: 'establishment',
            kind: change.kind === 'replacement' ? 'record-replaced' : 'record-cancelled',
            recordId: change.recordId,
          },
        ],
      };
