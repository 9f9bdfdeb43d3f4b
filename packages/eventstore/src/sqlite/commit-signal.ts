/** In-process notification that events were committed, so subscriptions wake without polling. */
export class CommitSignal {
  readonly #listeners = new Set<() => void>();

  /** Registers a listener; the returned function removes it. */
  listen(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  notify(): void {
    for (const listener of this.#listeners) listener();
  }
}
