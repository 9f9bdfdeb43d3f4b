import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { ALL_PROFILES } from '../models.ts';
import { NEXO_FORMATS } from './formats.ts';

export const BUNDLE_SCHEMA_ID = 'https://nexo.saude.example/schemas/profiles/bundle-document';

/** Annotations a schema may put on a subschema to choose the problem its failures raise. */
export const ANNOTATIONS = { code: 'x-nexo-error', message: 'x-nexo-message' } as const;

/** The compiled schemas: the envelope and one per profile. */
export interface ProfileSchemas {
  readonly bundle: ValidateFunction;
  readonly byProfile: ReadonlyMap<string, ValidateFunction>;
}

/**
 * Reads every `*.schema.json` of `dir` and compiles them once, with strict, non-mutating ajv
 * settings (no coercion, no removal, no defaults). Throws when a profile some model needs is missing.
 */
export const loadProfileSchemas = (dir: string): ProfileSchemas => {
  const ajv = new Ajv2020({
    allErrors: true,
    strict: true,
    coerceTypes: false,
    removeAdditional: false,
    useDefaults: false,
    // Gives each error its parentSchema, where the x-nexo-* annotations live. Data is never copied
    // into a message.
    verbose: true,
  });
  ajv.addVocabulary([ANNOTATIONS.code, ANNOTATIONS.message]);
  for (const [name, format] of Object.entries(NEXO_FORMATS))
    ajv.addFormat(name, { type: 'string', validate: format.validate });
  for (const file of readdirSync(dir)
    .filter((name) => name.endsWith('.schema.json'))
    .sort()) {
    ajv.addSchema(JSON.parse(readFileSync(join(dir, file), 'utf8')) as object);
  }
  const compile = (id: string): ValidateFunction => {
    const validate = ajv.getSchema(id);
    if (!validate) throw new Error(`no JSON Schema with $id ${id} in ${dir}`);
    return validate;
  };
  return {
    bundle: compile(BUNDLE_SCHEMA_ID),
    byProfile: new Map(ALL_PROFILES.map((profile) => [profile, compile(profile)])),
  };
};
