import type { RecordType } from '@nexo/fhir';
import { EVENT_TYPES, type AnyDomainEvent, type RecordSummary } from './events.ts';
import { instantOf } from './instants.ts';

/**
 * The per-citizen read model: every current record of one citizen. The vaccination card, the
 * exam results, the medicines dispensed and the timeline are views of this one document, so a
 * citizen read is a single indexed lookup.
 */
export interface CitizenRecords {
  readonly citizenKey: string;
  /** Current records by record id. Replaced and cancelled versions are removed. */
  readonly records: Readonly<Record<string, CitizenRecord>>;
  /** Last applied version per submission stream: applying an event twice changes nothing. */
  readonly streams: Readonly<Record<string, number>>;
}

export interface CitizenRecord {
  readonly recordId: string;
  readonly recordType: RecordType;
  /** The establishment (CNES) that sent it and answers for corrections. */
  readonly establishment: string;
  /** When the clinical fact happened (vaccination, result issued, hand-over); sorts the timeline. */
  readonly occurredAt: string;
  /** When Nexo recorded this version. */
  readonly recordedAt: string;
  /** Set when this version replaced an earlier one. */
  readonly replaces?: string;
  readonly summary: RecordSummary;
}

export const emptyCitizenRecords = (citizenKey: string): CitizenRecords => ({
  citizenKey,
  records: {},
  streams: {},
});

/** Applies one event; returns the same object when the event does not change this view. */
export const applyToCitizenRecords = (view: CitizenRecords, event: AnyDomainEvent): CitizenRecords => {
  if (
    event.type !== EVENT_TYPES.recordSubmitted &&
    event.type !== EVENT_TYPES.recordReplaced &&
    event.type !== EVENT_TYPES.recordCancelled
  ) {
    return view;
  }
  const applied = view.streams[event.stream] ?? 0;
  if (event.version <= applied) return view;
  const records = { ...view.records };
  const streams = { ...view.streams, [event.stream]: event.version };
  switch (event.type) {
    case EVENT_TYPES.recordSubmitted:
      records[event.data.recordId] = toCitizenRecord(
        event.sender,
        event.recordedAt,
        event.data.summary,
        event.data.recordId,
      );
      break;
    case EVENT_TYPES.recordReplaced:
      delete records[event.data.replaces];
      records[event.data.recordId] = {
        ...toCitizenRecord(event.sender, event.recordedAt, event.data.summary, event.data.recordId),
        replaces: event.data.replaces,
      };
      break;
    case EVENT_TYPES.recordCancelled:
      delete records[event.data.cancels];
      break;
  }
  return { ...view, records, streams };
};

const toCitizenRecord = (
  establishment: string,
  recordedAt: string,
  summary: RecordSummary,
  recordId: string,
): CitizenRecord => ({
  recordId,
  recordType: summary.recordType,
  establishment,
  occurredAt: occurrenceOf(summary),
  recordedAt,
  summary,
});

/** The instant a record is about, for ordering: the earliest clinical date it carries. */
export const occurrenceOf = (summary: RecordSummary): string => {
  switch (summary.recordType) {
    case 'RIA':
      return summary.occurrence;
    case 'REL':
      return earliest(summary.results.map((r) => r.specimen.collected ?? r.issued));
    case 'RDM':
      return earliest(summary.dispensations.map((d) => d.handedOver));
  }
};

const earliest = (instants: readonly string[]): string =>
  instants.reduce((a, b) => (instantOf(b) < instantOf(a) ? b : a), instants[0] ?? '');
