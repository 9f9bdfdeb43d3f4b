import type { RdmSummary, RelSummary, RiaSummary } from '@nexo/fhir';
import type { CitizenRecord, CitizenRecords } from './citizen-records.ts';
import { instantOf } from './instants.ts';

/** What the citizen portal shows; views of the per-citizen records document. */
/** The name an establishment registered under, by CNES; undefined when it never registered one. */
export type EstablishmentNameOf = (cnes: string) => string | undefined;

/** Every entry names who sent it: the CNES, and the establishment's name when it is known. */
interface Named {
  readonly establishmentName?: string;
}

const unnamed: EstablishmentNameOf = () => undefined;
const named = (nameOf: EstablishmentNameOf, cnes: string): Named => {
  const name = nameOf(cnes);
  return name === undefined ? {} : { establishmentName: name };
};

export interface VaccinationCardEntry extends Named {
  readonly recordId: string;
  readonly establishment: string;
  readonly recordedAt: string;
  readonly immunization: RiaSummary;
}
export interface LabResultEntry extends Named {
  readonly recordId: string;
  /** The laboratory that issued the result: the one to ask for a correction. */
  readonly laboratory: string;
  readonly recordedAt: string;
  readonly exam: RelSummary;
}
export interface DispensationEntry extends Named {
  readonly recordId: string;
  readonly pharmacy: string;
  readonly recordedAt: string;
  readonly dispensation: RdmSummary;
}
export interface TimelineEntry extends Named {
  readonly recordId: string;
  readonly recordType: CitizenRecord['recordType'];
  readonly occurredAt: string;
  readonly establishment: string;
  readonly summary: CitizenRecord['summary'];
}

/** Newest first; ties broken by record id so pages are stable. */
const byOccurrenceDesc = (a: CitizenRecord, b: CitizenRecord): number =>
  instantOf(b.occurredAt) - instantOf(a.occurredAt) ||
  (a.recordId < b.recordId ? -1 : a.recordId > b.recordId ? 1 : 0);

const sorted = (view: CitizenRecords | undefined): CitizenRecord[] =>
  view ? Object.values(view.records).sort(byOccurrenceDesc) : [];

export const vaccinationCard = (
  view: CitizenRecords | undefined,
  nameOf: EstablishmentNameOf = unnamed,
): VaccinationCardEntry[] =>
  sorted(view).flatMap((r) =>
    r.summary.recordType === 'RIA'
      ? [
          {
            recordId: r.recordId,
            establishment: r.establishment,
            ...named(nameOf, r.establishment),
            recordedAt: r.recordedAt,
            immunization: r.summary,
          },
        ]
      : [],
  );

export const labResults = (
  view: CitizenRecords | undefined,
  nameOf: EstablishmentNameOf = unnamed,
): LabResultEntry[] =>
  sorted(view).flatMap((r) =>
    r.summary.recordType === 'REL'
      ? [
          {
            recordId: r.recordId,
            laboratory: r.establishment,
            ...named(nameOf, r.establishment),
            recordedAt: r.recordedAt,
            exam: r.summary,
          },
        ]
      : [],
  );

export const dispensations = (
  view: CitizenRecords | undefined,
  nameOf: EstablishmentNameOf = unnamed,
): DispensationEntry[] =>
  sorted(view).flatMap((r) =>
    r.summary.recordType === 'RDM'
      ? [
          {
            recordId: r.recordId,
            pharmacy: r.establishment,
            ...named(nameOf, r.establishment),
            recordedAt: r.recordedAt,
            dispensation: r.summary,
          },
        ]
      : [],
  );

export interface TimelinePage {
  readonly entries: TimelineEntry[];
  /** Cursor for the next page; absent on the last page. */
  readonly next?: string;
}

export const TIMELINE_MAX_PAGE = 100;

/**
 * One page of the timeline. The cursor names the last entry shown (its instant and id), so a
 * record added or removed between two page reads neither repeats nor hides another entry.
 */
export const timelinePage = (
  view: CitizenRecords | undefined,
  options: { readonly limit: number; readonly cursor?: Cursor },
  nameOf: EstablishmentNameOf = unnamed,
): TimelinePage => {
  const all = sorted(view);
  const start = options.cursor ? all.findIndex((r) => isAfter(r, options.cursor as Cursor)) : 0;
  const from = start === -1 ? all.length : start;
  const page = all.slice(from, from + options.limit);
  const last = page.at(-1);
  const entries = page.map((r) => ({
    recordId: r.recordId,
    recordType: r.recordType,
    occurredAt: r.occurredAt,
    establishment: r.establishment,
    ...named(nameOf, r.establishment),
    summary: r.summary,
  }));
  return last && from + options.limit < all.length
    ? { entries, next: encodeCursor({ occurredAt: last.occurredAt, recordId: last.recordId }) }
    : { entries };
};

export interface Cursor {
  readonly occurredAt: string;
  readonly recordId: string;
}

const isAfter = (r: CitizenRecord, c: Cursor): boolean => {
  const d = instantOf(c.occurredAt) - instantOf(r.occurredAt);
  return d > 0 || (d === 0 && r.recordId > c.recordId);
};

export const encodeCursor = (cursor: Cursor): string =>
  Buffer.from(JSON.stringify([cursor.occurredAt, cursor.recordId])).toString('base64url');

/** Undefined when the text is not a cursor this API issued. */
export const decodeCursor = (text: string): Cursor | undefined => {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === 'string' &&
      typeof parsed[1] === 'string' &&
      !Number.isNaN(instantOf(parsed[0]))
    ) {
      return { occurredAt: parsed[0], recordId: parsed[1] };
    }
  } catch {
    // fall through: not base64url JSON
  }
  return undefined;
};
