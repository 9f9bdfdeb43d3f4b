import fc from 'fast-check';
import { createDocumentValidator } from '@nexo/fhir';
import { describe, expect, it } from 'vitest';
import { loadExample, removeAt, setAt, type ExampleName } from './fixtures/index.ts';

const validator = createDocumentValidator();
const NOW = { now: new Date('2025-06-01T12:00:00Z') };
const CITIZENS = /266764941990004|998396937874850|93273918454/;

/** Every path of a JSON value, as `entry[1].resource.lotNumber`. */
const pathsOf = (value: unknown, prefix = ''): string[] => {
  if (Array.isArray(value))
    return value.flatMap((item, i) => [`${prefix}[${i}]`, ...pathsOf(item, `${prefix}[${i}]`)]);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) => {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    return [path, ...pathsOf(item, path)];
  });
};

/**
 * Names an object inherits: a sender's resourceType, element or code may be any of them, and a
 * lookup table that is a plain object would find a function where it expects nothing.
 */
const INHERITED_NAMES = [
  'constructor',
  '__proto__',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'isPrototypeOf',
];

describe.each<ExampleName>(['ria-r', 'rel-qualitativo', 'rdm'])('any damage to %s', (name) => {
  const paths = pathsOf(loadExample(name));
  const value = fc.oneof(fc.jsonValue(), fc.constantFrom(...INHERITED_NAMES));
  const edit = fc.oneof(
    fc.record({ path: fc.constantFrom(...paths), value }),
    fc.record({ path: fc.constantFrom(...paths), value: fc.constant(undefined) }),
  );

  it.each(INHERITED_NAMES)(
    'rejects every entry typed %s with a 422 problem naming its resourceType',
    (inherited) => {
      const bundle = loadExample(name) as { entry: { resource: { resourceType: string } }[] };
      bundle.entry.forEach((entry, i) => {
        if (i > 0) entry.resource.resourceType = inherited;
      });
      const result = validator.validate(bundle, NOW);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.problems.map((p) => p.expression)).toContain('Bundle.entry[1].resource.resourceType');
      // No lookup table's inherited function reaches the sender's text.
      for (const problem of result.problems) expect(problem.message).not.toMatch(/\[native code\]|function /);
    },
  );

  it('is answered, never thrown; a rejection names at least one error and never a citizen number', () => {
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
        const bundle = loadExample(name);
        for (const { path, value } of edits) {
          if (value === undefined) removeAt(bundle, path);
          else setAt(bundle, path, value);
        }
        const result = validator.validate(bundle, NOW);
        if (result.ok) return;
        expect(result.problems.some((p) => p.severity === 'error')).toBe(true);
        for (const problem of result.problems) {
          expect(problem.expression).toMatch(/^Bundle/);
          expect(problem.message).not.toMatch(CITIZENS);
        }
      }),
      { numRuns: 400 },
    );
  });
});
