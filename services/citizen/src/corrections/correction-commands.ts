import { handleStreamCommand, isConcurrencyError, type EventStore } from '@nexo/eventstore';
import type { ReadStore } from '@nexo/readstore';
import { NexoError, type Problem } from '@nexo/fhir';
import {
  CORRECTION_ACTORS,
  correctionEventsToAppend,
  correctionStream,
  decideCorrection,
  evolveCorrection,
  initialCorrectionState,
  type CorrectionCommand,
  type CorrectionState,
} from '@nexo/domain';

export interface CorrectionCommandDeps {
  readonly store: EventStore;
  readonly readStore: ReadStore;
  readonly clock: () => Date;
  readonly newId: () => string;
}

/** The domain's refusal as the error the routes answer. */
export const rejected = (problems: readonly Problem[]): NexoError =>
  new NexoError(problems[0]?.code ?? 'NEXO_ERR_INTERNAL', problems);

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
