import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_JSON_DEPTH, jsonDepthExceeds, parseJsonBody } from '../src/index.ts';

const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
    return undefined;
  } catch (err) {
    return (err as { code?: string }).code;
  }
};

describe('request body parsing', () => {
  it('counts nesting outside strings only, escapes included', () => {
    expect(jsonDepthExceeds('[[[]]]', 3)).toBe(false);
    expect(jsonDepthExceeds('[[[[]]]]', 3)).toBe(true);
    expect(jsonDepthExceeds('{"a":"[[[[[[","b":{"c":[1]}}', 3)).toBe(false);
    expect(jsonDepthExceeds('{"a":"\\"[[[[[[","b":1}', 1)).toBe(false);
    expect(
      jsonDepthExceeds(`${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`, MAX_JSON_DEPTH),
    ).toBe(false);
  });

  it('agrees with the depth of the parsed value for any JSON text, strings of quotes and brackets included', () => {
    const depthOf = (value: unknown): number =>
      value !== null && typeof value === 'object' ? 1 + Math.max(0, ...Object.values(value).map(depthOf)) : 0;
    const tricky = fc.stringMatching(/^[\\"[\]{}a]*$/);
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        tricky,
        fc.integer(),
        fc.array(tie('value')),
        fc.dictionary(tricky, tie('value')),
      ),
    })).value;
    fc.assert(
      fc.property(json, fc.integer({ min: 0, max: 6 }), fc.boolean(), (value, limit, pretty) => {
        const text = JSON.stringify(value, null, pretty ? 2 : undefined);
        expect(jsonDepthExceeds(text, limit)).toBe(depthOf(value) > limit);
      }),
    );
  });

  it.each([
    ['deep nesting', `${'['.repeat(65)}${']'.repeat(65)}`, 'NEXO_ERR_TOO_DEEP'],
    ['invalid JSON', '{"a":', 'NEXO_ERR_UNPARSABLE'],
    ['__proto__', '{"a":{"__proto__":{"x":1}}}', 'NEXO_ERR_UNSAFE_KEY'],
    ['escaped __proto__', '{"\\u005f_proto__":1}', 'NEXO_ERR_UNSAFE_KEY'],
    ['constructor.prototype', '[{"constructor":{"prototype":{}}}]', 'NEXO_ERR_UNSAFE_KEY'],
    ['a constructor key without prototype', '{"constructor":"x","$where":"1"}', undefined],
    ['the word in a value', '{"a":"__proto__","b":"constructor"}', undefined],
  ])('%s → %s', (_name, text, code) => {
    expect(codeOf(() => parseJsonBody(text))).toBe(code);
  });

  it('keeps operator keys as plain data', () => {
    expect(parseJsonBody('{"$gt":"","a":{"$where":"x"}}')).toEqual({ $gt: '', a: { $where: 'x' } });
  });
});
