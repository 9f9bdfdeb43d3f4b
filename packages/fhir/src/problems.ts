import type { NexoErrorCode, Problem, Warning } from './errors.ts';

/** True when `inner` is `outer` or an element inside it. */
const contains = (outer: string, inner: string): boolean =>
  inner === outer || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);

/**
 * Collects the problems of one validation. One problem per element: a second error about an
 * expression already reported is dropped, so the schema and the rules never say the same thing twice.
 */
export class Problems {
  private readonly errors: Problem[] = [];
  /** Tolerated conditions under error codes: warnings of an accepted document, problems of a rejected one. */
  private readonly warnings: Array<Problem & Warning> = [];
  private readonly reported = new Set<string>();

  error(code: NexoErrorCode, expression: string, message: string): void {
    if (this.reported.has(expression)) return;
    this.reported.add(expression);
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
    for (const key of this.reported) if (contains(key, expression) || contains(expression, key)) return true;
    return false;
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
