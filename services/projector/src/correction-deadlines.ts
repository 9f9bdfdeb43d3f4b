import { handleStreamCommand, type EventStore } from '@nexo/eventstore';
import type { ReadStore } from '@nexo/readstore';
import {
  COLLECTIONS,
  CORRECTION_ACTORS,
  correctionEventsToAppend,
  correctionStream,
  decideCorrection,
  evolveCorrection,
  initialCorrectionState,
  type CorrectionRequestView,
} from '@nexo/domain';

/** How often answered requests are checked for an expired reaction deadline. */
export const CORRECTION_DEADLINE_INTERVAL_MS = 60_000;
const PAGE = 200;

export interface CorrectionDeadlineDeps {
  readonly store: EventStore;
  readonly readStore: ReadStore;
  /** The scheduler's clock: the only place time enters the close command. */
  readonly clock: () => Date;
  readonly newId: () => string;
  readonly intervalMs?: number;
  readonly onError?: (err: unknown) => void;
}

export interface CorrectionDeadlines {
  /** Closes every answered request whose deadline passed; resolves with how many it closed. */
  runOnce(): Promise<number>;
  /** Stops the timer and waits for a sweep in progress. */
  stop(): Promise<void>;
}

/**
 * The scheduler that closes answered requests nobody reacted to within 3 business days. It finds
 * candidates in the read model and decides on the request's stream, so a request the citizen
 * confirmed or reopened meanwhile is left alone, and two schedulers never close one twice.
 */
export const startCorrectionDeadlines = (deps: CorrectionDeadlineDeps): CorrectionDeadlines => {
  let running: Promise<number> | undefined;
  const runOnce = (): Promise<number> =>
    (running ??= sweep(deps).finally(() => {
      running = undefined;
    }));
  const timer = setInterval(() => {
    runOnce().catch((err: unknown) => deps.onError?.(err));
  }, deps.intervalMs ?? CORRECTION_DEADLINE_INTERVAL_MS);
  timer.unref();
  return {
    runOnce,
    stop: async () => {
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
};

const sweep = async (deps: CorrectionDeadlineDeps): Promise<number> => {
  const at = deps.clock().toISOString();
  const due: CorrectionRequestView[] = [];
  // Sorted by closesAt newest first, so the due ones are at the end: every answered request is read.
  for (let cursor: string | undefined; ;) {
    const page = await deps.readStore.find<CorrectionRequestView>({
      collection: COLLECTIONS.correctionRequests,
      field: 'status',
      value: 'answered',
      limit: PAGE,
      ...(cursor ? { cursor } : {}),
    });
    for (const { body } of page.documents)
      if (body.closesAt !== undefined && Date.parse(body.closesAt) <= Date.parse(at)) due.push(body);
    if (!page.next) break;
    cursor = page.next;
  }
  let closed = 0;
  for (const view of due) {
    const correlationId = deps.newId();
    const done = await handleStreamCommand(deps.store, correctionStream(view.protocol), {
      initialState: initialCorrectionState,
      evolve: evolveCorrection,
      decide: (state) => {
        const decision = decideCorrection({ kind: 'expire', at }, state);
        if (decision.kind === 'reject') return { events: [], result: false };
        const context = {
          at,
          sender: CORRECTION_ACTORS.deadline,
          citizenKey: view.citizenKey,
          correlationId,
          newId: deps.newId,
        };
        return { events: correctionEventsToAppend(decision.events, context), result: true };
      },
    });
    if (done) closed++;
  }
  return closed;
};
