import { earliestInstant, type FhirDateKind } from '../fhir-dates.ts';
import type { RuleContext, Site } from './context.ts';

/**
 * Senders' clocks drift: a value up to this far after the hub's clock is not "in the future".
 * Anything later is rejected.
 */
export const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * The first year a record of the national network can date from. The documents carry no birth date
 * (the citizen is named by CNS or CPF only; demographics come from the national registry), so an
 * occurrence cannot be compared with the citizen's birth: this bound refuses the impossible dates
 * (`0001-01-01`, `1800-01-01`) that a default or a typo produces, and lets through every date a
 * living person's record, even one transcribed from an old paper card, can have.
 */
export const EARLIEST_RECORD_YEAR = 1900;

/**
 * Reports a date that cannot be a record's: one in the future, or one before 1900-01-01 (as written,
 * in the sender's time zone). A date without a time counts from its first moment anywhere (UTC+14),
 * so "today" is never in the future for any sender. Malformed values are left to the schema, which
 * reports them.
 */
export const checkRecordDate = (ctx: RuleContext, site: Site, value: unknown, kind: FhirDateKind): void => {
  if (typeof value !== 'string') return;
  const earliest = earliestInstant(value, kind);
  if (earliest === undefined) return;
  if (earliest > ctx.nowMs + CLOCK_SKEW_MS) {
    ctx.problems.error(
      'NEXO_ERR_VALIDATION_DATE',
      site.path,
      `${site.label} is in the future; it must not be after the moment the hub receives the document.`,
    );
  } else if (Number(value.slice(0, 4)) < EARLIEST_RECORD_YEAR) {
    ctx.problems.error(
      'NEXO_ERR_VALIDATION_DATE',
      site.path,
      `${site.label} is before ${EARLIEST_RECORD_YEAR}-01-01, which no record of the national network can date from: check the year.`,
    );
  }
};
