/**
 * The dead-letter topic is append-only, so a resolution is a message of its own: a marker naming a
 * group and an event position, written to the partition of the letters it resolves. The ledger is
 * the rule both readers of the topic apply, the count (`DeadLetterTally`) and the listing
 * (`readDeadLetters`): reading each partition in offset order, a marker drops the group's letters
 * of that position read before it. A letter written after a marker is a new failure and counts
 * again. A letter whose event position is unknown (its value is no event) is counted, and can be
 * neither listed nor resolved.
 */
import type { DeadLetterEntry } from './messages.ts';

const UNKNOWN = '?';

export class DeadLetterLedger<T> {
  /** Per group, the letters not resolved, by `partition:position`, oldest first. */
  readonly #open: Map<string, Map<string, T[]>>;
  readonly #counts: Map<string, number>;

  /** An empty ledger, or a copy of `from` that can take messages without changing it. */
  constructor(from?: DeadLetterLedger<T>) {
    this.#open = new Map();
    this.#counts = new Map();
    if (from === undefined) return;
    for (const [group, letters] of from.#open)
      this.#open.set(group, new Map([...letters].map(([key, list]) => [key, [...list]])));
    this.#counts = new Map(from.#counts);
  }

  /** Takes one message of `partition` in offset order; `letter` makes what a letter keeps. */
  take(entry: DeadLetterEntry | undefined, partition: number, letter: () => T): void {
    if (entry === undefined) return;
    const key = `${partition}:${entry.position ?? UNKNOWN}`;
    let letters = this.#open.get(entry.group);
    if (entry.kind === 'resolution') {
      const resolved = letters?.get(key)?.length ?? 0;
      if (resolved === 0) return;
      letters?.delete(key);
      this.#counts.set(entry.group, (this.#counts.get(entry.group) ?? 0) - resolved);
      return;
    }
    if (letters === undefined) this.#open.set(entry.group, (letters = new Map()));
    const list = letters.get(key);
    if (list === undefined) letters.set(key, [letter()]);
    else list.push(letter());
    this.#counts.set(entry.group, (this.#counts.get(entry.group) ?? 0) + 1);
  }

  count(group: string): number {
    return this.#counts.get(group) ?? 0;
  }

  /** The group's letters not resolved, each with the partition it was read from. */
  letters(group: string): { readonly partition: number; readonly letter: T }[] {
    return [...(this.#open.get(group) ?? [])].flatMap(([key, list]) =>
      list.map((letter) => ({ partition: Number(key.slice(0, key.indexOf(':'))), letter })),
    );
  }
}
