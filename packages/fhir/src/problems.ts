import type { NexoErrorCode, Problem, Warning } from './errors.ts';

/** True when `inner` is `outer` or an element inside it. */
const contains = (outer: string, inner: string): boolean =>
  inner === outer || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);

const DOT = 0x2e;
const BRACKET = 0x5b;

/** The expressions that contain `path` (`contains(ancestor, path)`), the path itself left out. */
const ancestorsOf = (path: string): string[] => {
  const ancestors: string[] = [];
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c === DOT || c === BRACKET) ancestors.push(path.slice(0, i));
  }
  return ancestors;
};

/**
 * Past this length, a path is not indexed by its ancestors (their slices would cost its length
 * squared): the few such paths, of element names a sender made up, are compared one by one.
 */
const INDEXED_PATH_MAX = 1_024;

/**
 * Collects the problems of one validation. One problem per element: a second error about an
 * expression already reported is dropped, so the schema and the rules never say the same thing twice.
 */
export class Problems {
  private readonly errors: Problem[] = [];
  /** Tolerated conditions under error codes: warnings of an accepted document, problems of a rejected one. */
  private readonly warnings: Array<Problem & Warning> = [];
  private readonly reported = new Set<string>();
  /**
   * Every expression that contains a reported one, so that `hasErrorNear` is a few lookups. It
   * once scanned every reported expression: the rules ask it for each element they report, so a
   * 100 KB document of 30,000 empty `meta.tag` items held the event loop for minutes.
   */
  private readonly containsReported = new Set<string>();
  /** Reported expressions longer than INDEXED_PATH_MAX, not in `containsReported`. */
  private readonly longReported: string[] = [];

  error(code: NexoErrorCode, expression: string, message: string): void {
    if (this.reported.has(expression)) return;
    this.reported.add(expression);
    if (expression.length > INDEXED_PATH_MAX) this.longReported.push(expression);
    else for (const ancestor of ancestorsOf(expression)) this.containsReported.add(ancestor);
    this.errors.push({ code, severity: 'error', message, expression });
  }

  warning(code: NexoErrorCode, expression: string, message: string): void {
    this.warnings.push({ code, severity: 'warning', message, expression });
  }

  /**
   * True when an error was already reported at `expression`, inside it or at an element containing
   * it: the rules use it to stay silent where the schema has spoken.
   */
  hasErrorNear(expression: string): boolean {
    if (this.reported.has(expression) || this.containsReported.has(expression)) return true;
    if (expression.length > INDEXED_PATH_MAX) {
      for (const key of this.reported)
        if (contains(key, expression) || contains(expression, key)) return true;
      return false;
    }
    for (const ancestor of ancestorsOf(expression)) if (this.reported.has(ancestor)) return true;
    return this.longReported.some((key) => contains(expression, key));
  }

  /** True when an error was already reported at exactly `expression`. */
  hasErrorAt(expression: string): boolean {
    return this.reported.has(expression);
  }

  get hasErrors(): boolean {
    return this.errors.length > 0;
  }

  get warningList(): readonly Warning[] {
    return this.warnings;
  }

  /** Errors first, then warnings. */
  all(): Problem[] {
    return [...this.errors, ...this.warnings];
  }
}
