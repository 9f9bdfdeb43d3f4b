import type { RecordType } from '@nexo/fhir';
import type { OperationOutcome } from '@medplum/fhirtypes';
import { EVENT_TYPES, type AnyDomainEvent, type BundleIdentifier } from './events.ts';

/**
 * The sender's view of its submissions: one entry per document version Nexo accepted, by
 * record id. Answers `GET /fhir/r4/Bundle/{id}` (with the document read from the event at
 * `stream`/`version`), lets ingest tell "another sender's record" from "no such record", and lists
 * a sender's submissions newest first. The Bundle itself stays in the log: keeping it here too
 * made every projected record cost a large stringify and write. Entries written by older versions
 * still carry a `document` field; nothing reads it.
 */
export interface RecordEntry {
  readonly recordId: string;
  readonly stream: string;
  /** Stream version that created this entry, for idempotent application. */
  readonly version: number;
  readonly sender: string;
  readonly recordType: RecordType;
  readonly bundleIdentifier: BundleIdentifier;
  readonly citizenKey: string;
  readonly receivedAt: string;
  readonly kind: 'original' | 'replacement' | 'cancellation';
  /**
   * `current` while the citizen sees this version, until a later one replaces or cancels it. A
   * cancellation is `cancelled` from the start: it ends the record and is never a live version.
   * Entries projected before that rule read `current` for a cancellation until a replay; read the
   * status through `recordStatus`.
   */
  readonly status: 'current' | 'replaced' | 'cancelled';
  readonly replaces?: string;
  readonly replacedBy?: string;
}

export interface RejectionEntry {
  readonly rejectionId: string;
  readonly sender: string;
  readonly rejectedAt: string;
  readonly status: number;
  readonly bundleIdentifier?: BundleIdentifier;
  readonly recordType?: RecordType;
  readonly outcome: OperationOutcome;
}

/** A change to one record entry, keyed by record id; `undefined` means "no change". */
export type RecordIndexChange =
  | { readonly op: 'create'; readonly entry: RecordEntry }
  | {
      readonly op: 'supersede';
      readonly recordId: string;
      readonly status: 'replaced' | 'cancelled';
      readonly by: string;
    };

export const recordIndexChanges = (event: AnyDomainEvent): RecordIndexChange[] => {
  const base = {
    stream: event.stream,
    version: event.version,
    sender: event.sender,
    citizenKey: event.citizenKey,
    receivedAt: event.recordedAt,
  };
  switch (event.type) {
    case EVENT_TYPES.recordSubmitted:
      return [{ op: 'create', entry: { ...base, ...pick(event.data), kind: 'original', status: 'current' } }];
    case EVENT_TYPES.recordReplaced:
      return [
        {
          op: 'create',
          entry: {
            ...base,
            ...pick(event.data),
            kind: 'replacement',
            status: 'current',
            replaces: event.data.replaces,
          },
        },
        { op: 'supersede', recordId: event.data.replaces, status: 'replaced', by: event.data.recordId },
      ];
    case EVENT_TYPES.recordCancelled:
      return [
        {
          op: 'create',
          entry: {
            ...base,
            ...pick(event.data),
            kind: 'cancellation',
            status: 'cancelled',
            replaces: event.data.cancels,
          },
        },
        { op: 'supersede', recordId: event.data.cancels, status: 'cancelled', by: event.data.recordId },
      ];
    default:
      return [];
  }
};

const pick = (data: { recordId: string; recordType: RecordType; bundleIdentifier: BundleIdentifier }) => ({
  recordId: data.recordId,
  recordType: data.recordType,
  bundleIdentifier: data.bundleIdentifier,
});

/** The entry's status, right for a cancellation projected when it was still listed as `current`. */
export const recordStatus = (entry: Pick<RecordEntry, 'kind' | 'status'>): RecordEntry['status'] =>
  entry.kind === 'cancellation' ? 'cancelled' : entry.status;

/** Applies a supersede change; idempotent because it only sets fields to fixed values. */
export const supersede = (
  entry: RecordEntry,
  change: Extract<RecordIndexChange, { op: 'supersede' }>,
): RecordEntry =>
  entry.status === change.status && entry.replacedBy === change.by
    ? entry
    : { ...entry, status: change.status, replacedBy: change.by };

export const rejectionEntry = (event: AnyDomainEvent): RejectionEntry | undefined =>
  event.type === EVENT_TYPES.submissionRejected
    ? {
        rejectionId: event.data.rejectionId,
        sender: event.sender,
        rejectedAt: event.recordedAt,
        status: event.data.status,
        ...(event.data.bundleIdentifier ? { bundleIdentifier: event.data.bundleIdentifier } : {}),
        ...(event.data.recordType ? { recordType: event.data.recordType } : {}),
        outcome: event.data.outcome,
      }
    : undefined;
