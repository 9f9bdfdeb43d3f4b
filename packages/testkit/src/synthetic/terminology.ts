/** Codes the synthetic documents draw from: read from the repository's shipped code systems. */
import { readFileSync } from 'node:fs';

const TERMINOLOGY_DIR = new URL('../../../../schemas/terminology/', import.meta.url);

/** BCG (15) needs an extra extension in RIA-R; the generator leaves it out rather than special-case it. */
const VACCINES_NEEDING_EXTRAS = new Set(['15']);

const cache = new Map<string, readonly string[]>();

/** Every code of a shipped code system file (`schemas/terminology/<name>.json`). */
export const codesOf = (codeSystem: string): readonly string[] => {
  const known = cache.get(codeSystem);
  if (known) return known;
  const file = JSON.parse(readFileSync(new URL(`${codeSystem}.json`, TERMINOLOGY_DIR), 'utf8')) as {
    codes?: unknown;
  };
  if (typeof file.codes !== 'object' || file.codes === null)
    throw new Error(`${codeSystem}.json has no codes`);
  const codes = Object.keys(file.codes);
  cache.set(codeSystem, codes);
  return codes;
};

/** BRImunobiologico codes an RIA-R document can carry without extra extensions. */
export const vaccineCodes = (): readonly string[] => {
  const key = 'vaccines';
  const known = cache.get(key);
  if (known) return known;
  const codes = codesOf('BRImunobiologico').filter((code) => !VACCINES_NEEDING_EXTRAS.has(code));
  cache.set(key, codes);
  return codes;
};
