import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { addCodeSystem } from './terminology/add-code-system.ts';

/**
 * `pnpm terminology:add <file.json> [--dir <terminology folder>]`
 *
 * Validates a code-system file ({system, name, version, source, codes: {code: display}, notes?})
 * and writes it into schemas/terminology (or --dir), replacing the file of the same system, then
 * regenerates that folder's README.md. The hub reads the folder at start-up: restart it to use the
 * new codes.
 */
const USAGE = 'usage: pnpm terminology:add <file.json> [--dir <terminology folder>]';
const DEFAULT_DIR = fileURLToPath(new URL('../../../schemas/terminology/', import.meta.url));

export const runTerminologyCli = (
  args: readonly string[],
  cwd: string,
): { exitCode: number; output: string } => {
  const dirFlag = args.indexOf('--dir');
  const dir = dirFlag === -1 ? DEFAULT_DIR : args[dirFlag + 1];
  const files = args.filter((_, i) => dirFlag === -1 || (i !== dirFlag && i !== dirFlag + 1));
  const [file] = files;
  if (files.length !== 1 || file === undefined || dir === undefined) return { exitCode: 2, output: USAGE };
  let input: unknown;
  try {
    input = JSON.parse(readFileSync(resolve(cwd, file), 'utf8'));
  } catch (error) {
    return { exitCode: 1, output: `cannot read ${file} as JSON: ${(error as Error).message}` };
  }
  try {
    const result = addCodeSystem(input, resolve(cwd, dir));
    const replaced = result.replaced === undefined ? '' : ` (replaced ${result.replaced})`;
    return {
      exitCode: 0,
      output: `wrote ${result.fileName} with ${result.codes} codes${replaced}; restart the hub to load it`,
    };
  } catch (error) {
    return { exitCode: 1, output: (error as Error).message };
  }
};

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // pnpm runs scripts from the package folder; INIT_CWD is where the user typed the command.
  const { exitCode, output } = runTerminologyCli(
    process.argv.slice(2),
    process.env.INIT_CWD ?? process.cwd(),
  );
  (exitCode === 0 ? console.log : console.error)(output);
  process.exitCode = exitCode;
}
