import { describe, expect, it } from 'vitest';
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
