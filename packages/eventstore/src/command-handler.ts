import { isConcurrencyError, type EventStore, type NewEvent, type StoredEvent } from './port.ts';

/** What a command decided: the events to append (none for a refusal) and what to answer. */
export interface StreamDecision<R> {
  readonly events: readonly NewEvent[];
  readonly result: R;
}

export interface StreamCommandHandler<S, R> {
  readonly initialState: () => S;
  readonly evolve: (state: S, event: StoredEvent) => S;
  readonly decide: (state: S) => StreamDecision<R>;
}

/**
 * The decide/evolve loop over one stream: read it, fold it, decide, append expecting the version
 * read. A concurrent writer makes the append fail; the command is then decided again on the new
 * state, so a decision is never taken on stale state. After `maxAttempts` conflicts the last one
 * is thrown (its `code` is `NEXO_ERR_CONCURRENCY`).
 */
export const handleStreamCommand = async <S, R>(
  store: EventStore,
  stream: string,
  handler: StreamCommandHandler<S, R>,
  maxAttempts = 10,
): Promise<R> => {
  for (let attempt = 1; ; attempt++) {
    const history = await store.readStream(stream);
    const decision = handler.decide(history.reduce(handler.evolve, handler.initialState()));
    if (decision.events.length === 0) return decision.result;
    try {
      await store.append(stream, history.at(-1)?.version ?? 0, decision.events);
      return decision.result;
    } catch (err) {
      if (!isConcurrencyError(err) || attempt >= maxAttempts) throw err;
    }
  }
};
