import { handleStreamCommand, isConcurrencyError, type EventStore } from '@nexo/eventstore';
import type { ReadStore } from '@nexo/readstore';
import { NexoError, type Problem } from '@nexo/fhir';
import {
  COLLECTIONS,
  CORRECTION_ACTORS,
  brasiliaYear,
  correctionEventsToAppend,
  correctionStream,
  decideCorrection,
  evolveCorrection,
  formatProtocol,
  initialCorrectionState,
  type CorrectionCommand,
  type CorrectionRequestedData,
  type CorrectionState,
} from '@nexo/domain';

export interface CorrectionCommandDeps {
  readonly store: EventStore;
  readonly readStore: ReadStore;
  readonly clock: () => Date;
  readonly newId: () => string;
}

/** Protocols tried past the projected counter before giving up (the counter lags by milliseconds). */
const MAX_PROTOCOL_PROBES = 200;

const rejected = (problems: readonly Problem[]): NexoError =>
  new NexoError(problems[0]?.code ?? 'NEXO_ERR_INTERNAL', problems);

/**
 * Opens a request under the next free protocol of the year. Each protocol is its own stream, and
 * claiming one is an append that expects the stream not to exist, so two requests never share a
 * number; the search starts after the highest sequence the read model has seen.
 */
export const openCorrectionRequest = async (
  deps: CorrectionCommandDeps,
  request: Omit<CorrectionRequestedData, 'protocol'>,
  correlationId: string,
): Promise<{ readonly protocol: string; readonly at: string }> => {
  const at = deps.clock().toISOString();
  const year = brasiliaYear(at);
  const counter = await deps.readStore.get<{ last: number }>(COLLECTIONS.correctionCounters, String(year));
  const first = (counter?.body.last ?? 0) + 1;
  for (let sequence = first; sequence < first + MAX_PROTOCOL_PROBES; sequence++) {
    const protocol = formatProtocol(year, sequence);
    const decision = decideCorrection(
      { kind: 'request', protocol, ...request, at },
      initialCorrectionState(),
    );
    if (decision.kind === 'reject') throw rejected(decision.problems);
    const events = correctionEventsToAppend(decision.events, {
      at,
      sender: CORRECTION_ACTORS.citizen,
      citizenKey: request.citizenKey,
      correlationId,
      newId: deps.newId,
    });
    try {
      await deps.store.append(correctionStream(protocol), 0, events);
      return { protocol, at };
    } catch (err) {
      if (!isConcurrencyError(err)) throw err;
    }
  }
  throw new NexoError('NEXO_ERR_UNAVAILABLE', 'no protocol number could be reserved now; retry the request.');
};

type CitizenAction = Extract<CorrectionCommand, { kind: 'confirm' | 'reopen' | 'rate' }>;

/** A citizen's confirmation, reopening or rating, decided on the request's stream; answers the new state. */
export const actOnCorrectionRequest = async (
  deps: CorrectionCommandDeps,
  protocol: string,
  command: (at: string) => CitizenAction,
  correlationId: string,
): Promise<CorrectionState> => {
  const at = deps.clock().toISOString();
  try {
    return await handleStreamCommand(deps.store, correctionStream(protocol), {
      initialState: initialCorrectionState,
      evolve: evolveCorrection,
      decide: (state) => {
        const decision = decideCorrection(command(at), state);
        if (decision.kind === 'reject') throw rejected(decision.problems);
        return {
          events: correctionEventsToAppend(decision.events, {
            at,
            sender: CORRECTION_ACTORS.citizen,
            citizenKey: state.request?.citizenKey ?? '',
            correlationId,
            newId: deps.newId,
          }),
          result: decision.events.reduce(evolveCorrection, state),
        };
      },
    });
  } catch (err) {
    if (isConcurrencyError(err))
      throw new NexoError('NEXO_ERR_UNAVAILABLE', 'the request changed too often meanwhile; retry.');
    throw err;
  }
};

/** What a command answers: the request's state right after it (the read model follows in milliseconds). */
export const stateAnswer = (state: CorrectionState) => ({
  protocol: state.request?.protocol,
  status: state.status,
  ...(state.closesAt !== undefined ? { closesAt: state.closesAt } : {}),
  ...(state.closedBy !== undefined ? { closedBy: state.closedBy } : {}),
  rated: state.rated,
});
