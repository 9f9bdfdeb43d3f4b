import fc from 'fast-check';
import { example } from './hub-harness.ts';

/** One request of the hostile corpus. */
export interface HostileCase {
  readonly family: string;
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly contentType?: string;
  readonly body?: string;
  readonly token: 'sender' | 'citizen';
  /** The CNES the sender token speaks for (the example's author, so checks go past authorship). */
  readonly sender?: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = Array<string | number>;
const SEED = 20_250_940;
const EXAMPLES = ['ria-r', 'rel-qualitativo', 'rdm'] as const;

/** Every path to a value in a JSON document (the document itself excluded). */
const pathsOf = (value: Json, prefix: Path = []): Path[] => {
  if (value === null || typeof value !== 'object') return [];
  const keys: Array<string | number> = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return keys.flatMap((key) => {
    const path = [...prefix, key];
    return [path, ...pathsOf((value as Record<string | number, Json>)[key] as Json, path)];
  });
};

const parentOf = (root: Json, path: Path): Record<string | number, Json> =>
  path
    .slice(0, -1)
    .reduce<Json>((node, key) => (node as Record<string | number, Json>)[key] as Json, root) as Record<
    string | number,
    Json
  >;

const UNICODE_TRICKS = [
  '\u202e',
  '\u200b',
  '\u0000',
  '\ud800',
  '\ufeff',
  '\u0301\u0301\u0301',
  '😷',
  '\u2028',
];
const FULL_WIDTH = (text: string) => text.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
const nest = (depth: number): Json => (depth === 0 ? 'bottom' : [nest(depth - 1)]);
const lastDigitChanged = (text: string) => text.replace(/\d$/, (d) => String((Number(d) + 1) % 10));

/** Changes the value at `path`; returns whether the change applies there. */
const MUTATIONS: ReadonlyArray<(root: Json, path: Path, pick: number) => boolean> = [
  (root, path) => {
    const parent = parentOf(root, path);
    const key = path.at(-1)!;
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
    return true;
  },
  (root, path) => ((parentOf(root, path)[path.at(-1)!] = null), true),
  (root, path, pick) => (
    (parentOf(root, path)[path.at(-1)!] = [0, -1, 1e308, 2 ** 53 + 1, 0.5, true, false, '', [], {}][
      pick % 10
    ]!),
    true
  ),
  (root, path) => ((parentOf(root, path)[path.at(-1)!] = 'x'.repeat(50_000)), true),
  (root, path) => {
    const parent = parentOf(root, path);
    const key = path.at(-1)!;
    parent[key] = [parent[key] as Json];
    return true;
  },
  (root, path, pick) => {
    const parent = parentOf(root, path);
    const value = parent[path.at(-1)!];
    if (typeof value !== 'string') return false;
    parent[path.at(-1)!] =
      pick % 3 === 0 ? FULL_WIDTH(value) : `${value}${UNICODE_TRICKS[pick % UNICODE_TRICKS.length]}`;
    return true;
  },
  (root, path) => {
    const parent = parentOf(root, path);
    const value = parent[path.at(-1)!];
    if (typeof value !== 'string' || !/\d$/.test(value)) return false;
    parent[path.at(-1)!] = lastDigitChanged(value);
    return true;
  },
  (root, path, pick) => {
    const operators: Json[] = [{ $gt: '' }, { $ne: null }, { $where: 'sleep(100)' }, { $regex: '.*' }];
    parentOf(root, path)[path.at(-1)!] = operators[pick % operators.length]!;
    return true;
  },
  (root, path) => ((parentOf(root, path)[path.at(-1)!] = nest(70)), true),
  (root, path) => {
    const parent = parentOf(root, path);
    if (path.at(-1) !== 'reference' || typeof parent.reference !== 'string') return false;
    parent.reference = 'urn:uuid:00000000-0000-4000-8000-000000000000';
    return true;
  },
];

/** Whole-document mutations: duplicated entries, another resource type, pollution keys. */
const DOCUMENT_MUTATIONS: ReadonlyArray<(doc: Record<string, Json>, pick: number) => string | Json> = [
  (doc, pick) => {
    const entries = doc.entry as Json[];
    entries.push(structuredClone(entries[pick % entries.length]!));
    return doc;
  },
  (doc) => ({ ...doc, resourceType: 'Patient' }),
  (doc) => ({ ...doc, type: 'collection' }),
  (doc) => ({ ...doc, entry: [] }),
  (doc, pick) => ({ ...doc, identifier: ([null, 7, { system: 1 }, { value: '' }] as Json[])[pick % 4]! }),
  (doc) => JSON.stringify(doc).replace('{', '{"__proto__":{"polluted":true},'),
  (doc) =>
    JSON.stringify(doc).replace(
      '"resourceType"',
      '"constructor":{"prototype":{"polluted":1}},"resourceType"',
    ),
  (doc, pick) =>
    JSON.stringify(doc).replace(
      '"resourceType":"Bundle"',
      `"resourceType":"Bundle","resourceType":"${pick}"`,
    ),
];

const AUTHORS: Readonly<Record<string, string>> = {
  'ria-r': '9990011',
  'rel-qualitativo': '9990022',
  rdm: '9990033',
};

const post = (
  family: string,
  body: string,
  contentType = 'application/fhir+json',
  sender = '9990011',
): HostileCase => ({
  family,
  sender,
  method: 'POST',
  url: '/fhir/r4/Bundle',
  contentType,
  body,
  token: 'sender',
});

/** The corpus: thousands of cases, the same on every run (fixed seed). */
export const hostileCorpus = (): HostileCase[] => {
  const cases: HostileCase[] = [];
  for (const name of EXAMPLES) {
    const text = JSON.stringify(example(name));
    for (let end = 1; end < text.length; end += Math.ceil(text.length / 150))
      cases.push(post('truncated JSON', text.slice(0, end), undefined, AUTHORS[name]));
    const doc = example(name) as Json;
    // A new Bundle.identifier on valid content is a legitimate new submission, not hostile input.
    const paths = pathsOf(doc).filter((path) => path[0] !== 'identifier');
    const picks = fc.sample(fc.tuple(fc.nat(paths.length - 1), fc.nat(MUTATIONS.length - 1), fc.nat(1000)), {
      numRuns: 700,
      seed: SEED,
    });
    for (const [pathIndex, mutation, pick] of picks) {
      const copy = structuredClone(doc);
      const changed = MUTATIONS[mutation]!(copy, paths[pathIndex]!, pick) && JSON.stringify(copy) !== text;
      if (changed) cases.push(post(`mutated ${name}`, JSON.stringify(copy), undefined, AUTHORS[name]));
    }
    DOCUMENT_MUTATIONS.forEach((mutate, i) => {
      for (let pick = 0; pick < 3; pick++) {
        const out = mutate(structuredClone(doc) as Record<string, Json>, pick + i);
        cases.push(
          post(
            `document-level ${name}`,
            typeof out === 'string' ? out : JSON.stringify(out),
            undefined,
            AUTHORS[name],
          ),
        );
      }
    });
  }
  for (const value of fc.sample(fc.jsonValue({ maxDepth: 6 }), { numRuns: 400, seed: SEED }))
    cases.push(post('random JSON', JSON.stringify(value) ?? 'null'));
  for (const text of fc.sample(fc.string({ unit: 'binary', maxLength: 200 }), { numRuns: 200, seed: SEED }))
    cases.push(post('random text', text));
  for (const type of [
    'text/plain',
    'application/xml',
    'application/fhir+xml',
    'multipart/form-data',
    '',
    'application/x-www-form-urlencoded',
  ])
    cases.push(post('content type', JSON.stringify(example('ria-r')), type));
  cases.push(post('huge body', `{"resourceType":"Bundle","pad":"${'x'.repeat(1_100_000)}"}`));
  for (const id of fc.sample(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 300 }), {
    numRuns: 200,
    seed: SEED,
  }))
    cases.push({
      family: 'record id',
      method: 'GET',
      url: `/fhir/r4/Bundle/${encodeURIComponent(id)}`,
      token: 'sender',
    });
  for (const [limit, cursor] of fc.sample(
    fc.tuple(fc.string({ maxLength: 20 }), fc.string({ minLength: 1, maxLength: 80 })),
    { numRuns: 150, seed: SEED },
  )) {
    const query = `limit=${encodeURIComponent(limit)}&cursor=${encodeURIComponent(cursor)}`;
    cases.push({
      family: 'citizen query',
      method: 'GET',
      url: `/citizen/v1/me/timeline?${query}`,
      token: 'citizen',
    });
    cases.push({
      family: 'sender query',
      method: 'GET',
      url: `/establishment/v1/rejections?${query}`,
      token: 'sender',
    });
  }
  return cases;
};
