import { earliestInstant, type FhirDateKind } from '../fhir-dates.ts';
import type { RuleContext, Site } from './context.ts';

/**
 * Senders' clocks drift: a value up to this far after the hub's clock is not "in the future".
 * Anything later is rejected.
 */
export const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Reports a date that lies in the future. A date without a time counts from its first moment
 * anywhere (UTC+14), so "today" is never in the future for any sender. Malformed values are left to
 * the schema, which reports them.
 */
export const checkNotFuture = (ctx: RuleContext, site: Site, value: unknown, kind: FhirDateKind): void => {
  if (typeof value !== 'string') return;
  const earliest = earliestInstant(value, kind);
  if (earliest === undefined || earliest <= ctx.nowMs + CLOCK_SKEW_MS) return;
  ctx.problems.error(
    'NEXO_ERR_VALIDATION_DATE',
    site.path,
    `${site.label} is in the future; it must not be after the moment the hub receives the document.`,
  );
};
