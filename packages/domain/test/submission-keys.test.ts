import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalJson, contentHash } from '../src/submission-keys.ts';

/** The same JSON value with every object's keys in another order. */
const reordered = (value: unknown, reverse: boolean): unknown => {
  if (Array.isArray(value)) return value.map((item) => reordered(item, reverse));
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value).sort();
  if (reverse) keys.reverse();
  return Object.fromEntries(
    keys.map((key) => [key, reordered((value as Record<string, unknown>)[key], reverse)]),
  );
};

describe('content hash: a resend is recognised whatever its key order or white space', () => {
  it('canonical JSON parses back to the same value, with keys sorted at every level', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
        expect(canonicalJson(JSON.parse(text))).toBe(text);
      }),
    );
  });

  it('the same document in another key order hashes equal; other content hashes differently', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        expect(contentHash(reordered(a, true))).toBe(contentHash(reordered(a, false)));
        if (canonicalJson(a) !== canonicalJson(b)) expect(contentHash(a)).not.toBe(contentHash(b));
      }),
    );
  });

  it('a number is content by its value: the notations of one value hash equal, another value does not', () => {
    const hashOf = (notation: string) => contentHash(JSON.parse(`{"valueQuantity":{"value":${notation}}}`));
    for (const notation of ['5.0', '5.00', '50e-1', '5E+0'])
      expect(hashOf(notation), notation).toBe(hashOf('5'));
    expect(hashOf('5.01')).not.toBe(hashOf('5'));
  });

  it('array order is content: a reordered list is another document', () => {
    expect(contentHash({ entry: [1, 2] })).not.toBe(contentHash({ entry: [2, 1] }));
    expect(canonicalJson({ b: [{ d: 1, c: 'x"y' }], a: null })).toBe('{"a":null,"b":[{"c":"x\\"y","d":1}]}');
  });

  it('hashes as it always did: a Bundle accepted before an upgrade is still recognised when resent', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'document',
      identifier: {
        system: 'http://www.saude.gov.br/fhir/r4/NamingSystem/BRRNDS-9990011',
        value: 'ria-0001',
      },
      timestamp: '2025-03-06T14:56:46-03:00',
      entry: [
        {
          fullUrl: 'urn:uuid:1',
          resource: {
            resourceType: 'Immunization',
            status: 'completed',
            lotNumber: 'FA23X010',
            note: [{ text: 'reação "leve" \u2028 ok' }],
          },
        },
      ],
    };
    expect(contentHash(bundle)).toBe('770f947323c8147c9864604d503a759578560cb8b3aba56352bf93dc5359fea2');
  });
});
