import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseCodeSystemFile } from './code-system-file.ts';

export interface CodeSystemData {
  readonly system: string;
  readonly name: string;
  readonly version: string;
  /** code → display */
  readonly codes: ReadonlyMap<string, string>;
}

/** The code systems loaded at start-up, by system URL. */
export interface Terminology {
  readonly bySystem: ReadonlyMap<string, CodeSystemData>;
}

/** The code-system files (`*.json`) of a directory, sorted by name. */
export const codeSystemFileNames = (dir: string): string[] =>
  readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort();

/**
 * Reads every code-system file of `dir` into memory. Throws, naming the file, when one is malformed
 * or two files declare the same system: the hub must not start with broken terminology.
 */
export const loadTerminology = (dir: string): Terminology => {
  const bySystem = new Map<string, CodeSystemData>();
  for (const fileName of codeSystemFileNames(dir)) {
    const parsed = parseCodeSystemFile(JSON.parse(readFileSync(join(dir, fileName), 'utf8')) as unknown);
    if (!parsed.ok) throw new Error(`terminology file ${fileName} is invalid: ${parsed.errors.join('; ')}`);
    const { system, name, version, codes } = parsed.file;
    if (bySystem.has(system))
      throw new Error(`terminology file ${fileName} repeats the code system ${system}`);
    bySystem.set(system, { system, name, version, codes: new Map(Object.entries(codes)) });
  }
  return { bySystem };
};
