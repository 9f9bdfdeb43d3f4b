import fc from 'fast-check';
import { createDocumentValidator } from '@nexo/fhir';
import { describe, expect, it } from 'vitest';
import { Problems } from '../src/problems.ts';
import { loadExample } from './fixtures/index.ts';

/** `inner` is `outer` or an element inside it. */
const contains = (outer: string, inner: string): boolean =>
  inner === outer || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);

/** What `hasErrorNear` means: an error at the expression, inside it, or at an element containing it. */
const near = (reported: readonly string[], expression: string): boolean =>
  reported.some((key) => contains(key, expression) || contains(expression, key));

/** Paths from a few steps, names with dots and brackets included, some past the indexed length. */
const step = fc.oneof(
  fc.constantFrom('.entry', '[0]', '[1]', '.resource', '.a.b', '.tag', '['),
  fc.string({ maxLength: 3 }),
  fc.constant(`.${'x'.repeat(1_100)}`),
);
const path = fc.array(step, { maxLength: 6 }).map((steps) => `Bundle${steps.join('')}`);

describe('Problems', () => {
  it('hasErrorNear finds an error at, inside or around an expression, as a scan of every error would', () => {
    fc.assert(
      fc.property(fc.array(path, { maxLength: 8 }), path, (reported, expression) => {
        const problems = new Problems();
        for (const key of reported) problems.error('NEXO_ERR_VALIDATION_STRUCTURE', key, 'a problem');
        expect(problems.hasErrorNear(expression)).toBe(near(reported, expression));
        for (const key of reported) expect(problems.hasErrorNear(key)).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });

  it('refuses each of 30,000 empty items at its own path', () => {
    // hasErrorNear scanned every error reported so far, and the rules ask it for each element they
    // report: this 100 KB document held the event loop for over three minutes, past any test's
    // time limit. How fast it goes now is the bench's business; this says what it answers.
    const bundle = loadExample('ria-r') as { meta: { tag?: unknown[] } };
    bundle.meta.tag = Array.from({ length: 30_000 }, () => ({}));
    const result = createDocumentValidator().validate(bundle, { now: new Date('2025-06-01T12:00:00Z') });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(30_000);
    expect(result.problems[29_999]).toEqual({
      code: 'NEXO_ERR_VALIDATION_STRUCTURE',
      severity: 'error',
      expression: 'Bundle.meta.tag[29999]',
      message:
        'Bundle.meta.tag[29999] is empty: a FHIR element has a value or child elements; leave it out instead.',
    });
  });
});
