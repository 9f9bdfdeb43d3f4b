/**
 * Epoch milliseconds of a clinical date or dateTime as the citizen's views order records (the
 * card, the timeline and its cursor, the COVID-19 certificate); NaN when the text is none.
 *
 * `Date.parse` reads every value ingest accepts but one: a leap second (`…T23:59:60-03:00`), which
 * FHIR's dateTime allows and ingest takes as the last millisecond of its minute (`earliestInstant`
 * in @nexo/fhir). `Date.parse` answers NaN for it, and a NaN in a comparison put the record
 * anywhere on the card and left the timeline unable to page past it: the records after it were
 * never shown. It is read here as ingest reads it.
 */
export const instantOf = (value: string): number => Date.parse(value.replace(LEAP_SECOND, '$159.999'));

const LEAP_SECOND = /(T\d{2}:\d{2}:)60(?:\.\d+)?/;
