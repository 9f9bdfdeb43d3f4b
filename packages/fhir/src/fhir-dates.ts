/**
 * FHIR R4 date, dateTime and instant values, checked against the calendar (no 30 February) and turned
 * into the earliest instant they can denote, for "not in the future" checks.
 *
 * - `instant`: date and time with seconds and a time-zone offset (Bundle.timestamp, Observation.issued).
 * - `dateTime`: FHIR dateTime: YYYY, YYYY-MM, YYYY-MM-DD or a time with seconds and offset.
 * - `dayOrDateTime`: a full date, or a time with seconds and offset (clinical dates: the hub needs the day).
 * - `date`: FHIR date: YYYY, YYYY-MM or YYYY-MM-DD.
 */
export type FhirDateKind = 'instant' | 'dateTime' | 'dayOrDateTime' | 'date';

const SHAPE =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2}))?)?)?$/;

/** A date without a time is taken at its first moment anywhere on Earth (UTC+14). */
const EARLIEST_ZONE_MS = 14 * 3_600_000;

const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

const zoneOffsetMs = (zone: string): number | undefined => {
  if (zone === 'Z') return 0;
  const hours = Number(zone.slice(1, 3));
  const minutes = Number(zone.slice(4, 6));
  if (minutes > 59 || hours > 14 || (hours === 14 && minutes > 0)) return undefined;
  return (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes) * 60_000;
};

/** Epoch milliseconds of the earliest moment `value` can denote, or undefined when it is not a valid `kind`. */
export const earliestInstant = (value: string, kind: FhirDateKind): number | undefined => {
  const match = SHAPE.exec(value);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, fraction, zone] = match;
  const hasTime = h !== undefined;
  if (kind === 'instant' && !hasTime) return undefined;
  if (kind === 'dayOrDateTime' && d === undefined) return undefined;
  if (kind === 'date' && hasTime) return undefined;
  const year = Number(y);
  const month = mo === undefined ? 1 : Number(mo);
  const day = d === undefined ? 1 : Number(d);
  if (year === 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (!hasTime) return Date.UTC(year, month - 1, day) - EARLIEST_ZONE_MS;
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  const offset = zoneOffsetMs(zone ?? '');
  if (hour > 23 || minute > 59 || second > 60 || offset === undefined) return undefined;
  const millis = fraction === undefined ? 0 : Math.floor(Number(`0${fraction}`) * 1000);
  // A leap second (:60) is taken as the last millisecond of its minute.
  const utc = Date.UTC(
    year,
    month - 1,
    day,
    hour,
    minute,
    Math.min(second, 59),
    second === 60 ? 999 : millis,
  );
  return utc - offset;
};

export const isFhirDate = (value: string, kind: FhirDateKind): boolean =>
  earliestInstant(value, kind) !== undefined;

/** What each kind looks like, for messages. */
export const DATE_SHAPES: Readonly<Record<FhirDateKind, string>> = {
  instant: 'an instant with seconds and a time-zone offset, e.g. 2025-03-10T09:42:00-03:00',
  dateTime: 'a FHIR dateTime (YYYY, YYYY-MM, YYYY-MM-DD, or YYYY-MM-DDThh:mm:ss with a time-zone offset)',
  dayOrDateTime:
    'a date (YYYY-MM-DD) or a dateTime with seconds and a time-zone offset (YYYY-MM-DDThh:mm:ss-03:00)',
  date: 'a FHIR date (YYYY, YYYY-MM or YYYY-MM-DD)',
};
