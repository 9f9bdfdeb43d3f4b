import { SCHEMA_VERSIONS } from '../events.ts';
import type { CorrectionEvent } from './correction-events.ts';
import type { CorrectionClaimEvent } from './correction-claims.ts';

/** Who acts on a request, for the event envelope: a CNES, `citizen` or the deadline scheduler. */
export const CORRECTION_ACTORS = { citizen: 'citizen', deadline: 'correction-deadline' } as const;

export interface CorrectionEnvelopeContext {
  readonly at: string;
  readonly sender: string;
  /** The key the record was sent under: the bus orders the request with the record's events. */
  readonly citizenKey: string;
  readonly correlationId: string;
  readonly newId: () => string;
}

/** The decided events with their envelope, ready to append (the shape of the store's NewEvent). */
export const correctionEventsToAppend = (
  events: readonly (CorrectionEvent | CorrectionClaimEvent)[],
  ctx: CorrectionEnvelopeContext,
) =>
  events.map((event) => ({
    id: ctx.newId(),
    type: event.type,
    schemaVersion: SCHEMA_VERSIONS[event.type],
    occurredAt: ctx.at,
    sender: ctx.sender,
    citizenKey: ctx.citizenKey,
    correlationId: ctx.correlationId,
    data: event.data,
  }));
