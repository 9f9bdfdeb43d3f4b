import { isObject } from '../json.ts';

/** One shipped code system: the JSON format of schemas/terminology/*.json. */
export interface CodeSystemFile {
  readonly system: string;
  /** Also the file name (`<name>.json`), so it is restricted to letters, digits, `_` and `-`. */
  readonly name: string;
  readonly version: string;
  /** Where the codes were copied from (repository:path@commit or a URL). */
  readonly source: string;
  readonly codes: Readonly<Record<string, string>>;
  readonly notes?: string;
}

export type CodeSystemFileResult = { ok: true; file: CodeSystemFile } | { ok: false; errors: string[] };

const KEYS = new Set(['system', 'name', 'version', 'source', 'codes', 'notes']);
const ABSOLUTE_URI = /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/;
const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,99}$/;
/** FHIR `code`: no leading or trailing whitespace, single inner spaces. */
const CODE = /^\S+( \S+)*$/;

const nonEmptyString = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

/** Checks that parsed JSON is a code-system file, listing every problem found. */
export const parseCodeSystemFile = (input: unknown): CodeSystemFileResult => {
  if (!isObject(input)) return { ok: false, errors: ['the file must hold a JSON object'] };
  const errors: string[] = [];
  for (const key of Object.keys(input)) if (!KEYS.has(key)) errors.push(`unexpected property "${key}"`);
  const { system, name, version, source, codes, notes } = input;
  if (!nonEmptyString(system) || !ABSOLUTE_URI.test(system)) errors.push('"system" must be an absolute URI');
  if (!nonEmptyString(name) || !NAME.test(name)) {
    errors.push(
      '"name" must start with a letter and hold only letters, digits, "_" or "-" (it names the file)',
    );
  }
  if (!nonEmptyString(version)) errors.push('"version" must be a non-empty string');
  if (!nonEmptyString(source)) errors.push('"source" must say where the codes come from');
  if (notes !== undefined && typeof notes !== 'string')
    errors.push('"notes", when present, must be a string');
  if (!isObject(codes) || Object.keys(codes).length === 0) {
    errors.push('"codes" must be a non-empty object of code → display');
  } else {
    for (const [code, display] of Object.entries(codes)) {
      if (!CODE.test(code))
        errors.push(`code "${code}" is not a FHIR code (no leading, trailing or double spaces)`);
      if (!nonEmptyString(display)) errors.push(`code "${code}" needs a non-empty display string`);
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, file: input as unknown as CodeSystemFile };
};
