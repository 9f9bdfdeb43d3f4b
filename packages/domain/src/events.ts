import type { CitizenId } from '@nexo/identifiers';
import type { DocumentModel, RecordType, RiaSummary, RelSummary, RdmSummary } from '@nexo/fhir';
import type { OperationOutcome } from '@medplum/fhirtypes';
import type {
  CitizenIdentifiedData,
  CitizensMergedData,
  IdentifiersLinkedData,
  IdentifiersUnlinkedData,
} from './identity/identity-events.ts';
import type { CorrectionEventData } from './corrections/correction-events.ts';
import type { CorrectionClaimEventData } from './corrections/correction-claims.ts';

/**
 * Event types are past-tense facts. Each payload has a schema version; a change that is not
 * purely additive gets a new version and a schema file in schemas/events/ (see ADR 0002).
 */
export const EVENT_TYPES = {
  recordSubmitted: 'RecordSubmitted',
  recordReplaced: 'RecordReplaced',
  recordCancelled: 'RecordCancelled',
  resendIgnored: 'ResendIgnored',
  submissionRejected: 'SubmissionRejected',
  citizenIdentified: 'CitizenIdentified',
  identifiersLinked: 'IdentifiersLinked',
  identifiersUnlinked: 'IdentifiersUnlinked',
  citizensMerged: 'CitizensMerged',
  correctionRequested: 'CorrectionRequested',
  correctionAnswered: 'CorrectionAnswered',
  correctionReopened: 'CorrectionReopened',
  correctionClosed: 'CorrectionClosed',
  correctionRated: 'CorrectionRated',
  correctionRecordClaimed: 'CorrectionRecordClaimed',
  correctionClaimVoided: 'CorrectionClaimVoided',
} as const;

export type EventType = (typeof EVENT_TYPES)[keyof typeof EVENT_TYPES];

export const SCHEMA_VERSIONS: Record<EventType, number> = {
  RecordSubmitted: 1,
  RecordReplaced: 1,
  RecordCancelled: 1,
  ResendIgnored: 1,
  SubmissionRejected: 1,
  CitizenIdentified: 1,
  IdentifiersLinked: 1,
  IdentifiersUnlinked: 1,
  CitizensMerged: 1,
  CorrectionRequested: 1,
  CorrectionAnswered: 1,
  CorrectionReopened: 1,
  CorrectionClosed: 1,
  CorrectionRated: 1,
  CorrectionRecordClaimed: 1,
  CorrectionClaimVoided: 1,
};

export interface BundleIdentifier {
  readonly system: string;
  readonly value: string;
}

export type RecordSummary = RiaSummary | RelSummary | RdmSummary;

/** What every accepted document version carries: enough to project and to answer a resend. */
export interface AcceptedDocument {
  /** The id Nexo returned in Location for this document version. */
  readonly recordId: string;
  readonly recordType: RecordType;
  readonly model: DocumentModel;
  readonly bundleIdentifier: BundleIdentifier;
  readonly citizen: CitizenId;
  readonly documentDate: string;
  /** SHA-256 of the canonical JSON of the Bundle; equal hashes mean an identical resend. */
  readonly contentHash: string;
  /** The Bundle exactly as the sender posted it, so nothing the sender said is lost. */
  readonly document: unknown;
}

export interface RecordSubmittedData extends AcceptedDocument {
  readonly summary: RecordSummary;
}

export interface RecordReplacedData extends AcceptedDocument {
  readonly summary: RecordSummary;
  /** The record id this version replaces (the stream's current one at decision time). */
  readonly replaces: string;
}

export interface RecordCancelledData extends AcceptedDocument {
  /** The record id that is withdrawn from the citizen's view. */
  readonly cancels: string;
}

export interface ResendIgnoredData {
  /** The record id the original submission was answered with. */
  readonly recordId: string;
  readonly contentHash: string;
  /** The resent document's record type (absent in events recorded before it was kept). */
  readonly recordType?: RecordType;
}

export interface SubmissionRejectedData {
  readonly rejectionId: string;
  readonly status: number;
  readonly bundleIdentifier?: BundleIdentifier;
  readonly recordType?: RecordType;
  /** Our messages name elements, never values: the outcome holds no personal data. */
  readonly outcome: OperationOutcome;
}

export interface EventDataByType extends CorrectionEventData, CorrectionClaimEventData {
  RecordSubmitted: RecordSubmittedData;
  RecordReplaced: RecordReplacedData;
  RecordCancelled: RecordCancelledData;
  ResendIgnored: ResendIgnoredData;
  SubmissionRejected: SubmissionRejectedData;
  CitizenIdentified: CitizenIdentifiedData;
  IdentifiersLinked: IdentifiersLinkedData;
  IdentifiersUnlinked: IdentifiersUnlinkedData;
  CitizensMerged: CitizensMergedData;
}

/** A domain event as the store keeps it (envelope fields mirror @nexo/eventstore's StoredEvent). */
export interface DomainEvent<T extends EventType = EventType> {
  readonly id: string;
  readonly stream: string;
  readonly version: number;
  readonly position: number;
  readonly type: T;
  readonly schemaVersion: number;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly sender: string;
  readonly citizenKey: string;
  readonly correlationId: string;
  readonly data: EventDataByType[T];
}

export type AnyDomainEvent = { [K in EventType]: DomainEvent<K> }[EventType];

export const isEventType = (type: string): type is EventType =>
  Object.values(EVENT_TYPES).includes(type as EventType);
