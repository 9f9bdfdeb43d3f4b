import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCodeSystemFile, type CodeSystemFile } from './code-system-file.ts';
import { renderTerminologyReadme } from './readme.ts';
import { codeSystemFileNames } from './terminology.ts';

export interface AddCodeSystemResult {
  /** The file written, `<name>.json`. */
  readonly fileName: string;
  /** The file that held the same system before, if any (it may have had another name). */
  readonly replaced?: string;
  readonly codes: number;
}

const readFile = (dir: string, fileName: string): CodeSystemFile => {
  const parsed = parseCodeSystemFile(JSON.parse(readFileSync(join(dir, fileName), 'utf8')) as unknown);
  if (!parsed.ok) throw new Error(`${fileName} is invalid: ${parsed.errors.join('; ')}`);
  return parsed.file;
};

/** Writes through a temporary file, so a reader never sees half a file. */
const writeAtomically = (path: string, text: string): void => {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
};

/**
 * Validates a code-system file and writes it into `terminologyDir` as `<name>.json`, replacing the
 * file that held the same system; then regenerates the folder's README.md. Throws, listing every
 * problem, when the input is not a valid code-system file or its name belongs to another system.
 */
export const addCodeSystem = (input: unknown, terminologyDir: string): AddCodeSystemResult => {
  const parsed = parseCodeSystemFile(input);
  if (!parsed.ok) throw new Error(`not a valid code-system file: ${parsed.errors.join('; ')}`);
  const file = parsed.file;
  const fileName = `${file.name}.json`;
  const existing = codeSystemFileNames(terminologyDir).map((name) => ({
    name,
    file: readFile(terminologyDir, name),
  }));
  const sameName = existing.find((e) => e.name === fileName);
  if (sameName && sameName.file.system !== file.system) {
    throw new Error(
      `${fileName} already holds ${sameName.file.system}; choose another name for ${file.system}`,
    );
  }
  const previous = existing.find((e) => e.file.system === file.system);
  writeAtomically(join(terminologyDir, fileName), `${JSON.stringify(file, null, 1)}\n`);
  if (previous && previous.name !== fileName) rmSync(join(terminologyDir, previous.name));
  const files = [...existing.filter((e) => e.file.system !== file.system).map((e) => e.file), file];
  writeAtomically(join(terminologyDir, 'README.md'), renderTerminologyReadme(files));
  return {
    fileName,
    ...(previous ? { replaced: previous.name } : {}),
    codes: Object.keys(file.codes).length,
  };
};
