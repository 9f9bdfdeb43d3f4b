import type { ErrorObject } from 'ajv/dist/2020.js';
import { NEXO_ERRORS, type NexoErrorCode } from '../errors.ts';
import { pointerToFhirPath } from '../fhirpath.ts';
import { isObject, type JsonObject } from '../json.ts';
import type { Problems } from '../problems.ts';
import { NEXO_FORMATS } from './formats.ts';
import { ANNOTATIONS } from './profile-schemas.ts';

/** Where a validated value sits: its FHIRPath, its name for messages, the profile that judged it. */
export interface SchemaTarget {
  readonly path: string;
  readonly label: string;
  readonly profile: string;
}

const isErrorCode = (value: unknown): value is NexoErrorCode =>
  typeof value === 'string' && Object.hasOwn(NEXO_ERRORS, value);

const quoteAll = (values: unknown): string =>
  Array.isArray(values) ? values.map((v) => JSON.stringify(v)).join(', ') : JSON.stringify(values);

/** The code and message of one ajv error, before the element's name is put in front. */
const describeError = (
  error: ErrorObject,
  profile: string,
): { code: NexoErrorCode; text: string } | undefined => {
  const { params } = error;
  switch (error.keyword) {
    case 'if':
      return undefined; // the failing `then` keyword is reported itself
    case 'required':
      return { code: 'NEXO_ERR_VALIDATION_REQUIRED', text: `is required by ${profile}.` };
    case 'false schema':
      return { code: 'NEXO_ERR_VALIDATION_PROFILE', text: `is not allowed by ${profile}.` };
    case 'additionalProperties':
      return {
        code: 'NEXO_ERR_VALIDATION_STRUCTURE',
        text: `is not allowed here: it is not a FHIR R4 element at this place, or ${profile} leaves it out (check the spelling).`,
      };
    case 'const':
      return {
        code: 'NEXO_ERR_VALIDATION_PROFILE',
        text: `must be ${JSON.stringify(params.allowedValue)} (${profile}).`,
      };
    case 'enum':
      return {
        code: 'NEXO_ERR_VALIDATION_PROFILE',
        text: `must be one of ${quoteAll(params.allowedValues)} (${profile}).`,
      };
    case 'type':
      return { code: 'NEXO_ERR_VALIDATION_STRUCTURE', text: `must be a JSON ${String(params.type)}.` };
    case 'format': {
      const format = NEXO_FORMATS[String(params.format)];
      return format
        ? { code: format.code, text: `must be ${format.expected}.` }
        : { code: 'NEXO_ERR_VALIDATION_STRUCTURE', text: `must be a valid ${String(params.format)}.` };
    }
    case 'pattern':
      return { code: 'NEXO_ERR_VALIDATION_PROFILE', text: `does not have the form ${profile} requires.` };
    case 'minItems':
      return Array.isArray(error.data) && error.data.length === 0
        ? {
            code: 'NEXO_ERR_VALIDATION_REQUIRED',
            text: `needs at least ${String(params.limit)} item(s) (${profile}).`,
          }
        : {
            code: 'NEXO_ERR_VALIDATION_PROFILE',
            text: `needs at least ${String(params.limit)} item(s) (${profile}).`,
          };
    case 'maxItems':
      return {
        code: 'NEXO_ERR_VALIDATION_PROFILE',
        text: `allows at most ${String(params.limit)} item(s) (${profile}).`,
      };
    case 'minLength':
      return { code: 'NEXO_ERR_VALIDATION_REQUIRED', text: 'must not be empty.' };
    case 'minimum':
    case 'exclusiveMinimum':
      return {
        code: 'NEXO_ERR_VALIDATION_PROFILE',
        text: `must be ${error.keyword === 'minimum' ? 'at least' : 'more than'} ${String(params.limit)} (${profile}).`,
      };
    default:
      return {
        code: 'NEXO_ERR_VALIDATION_STRUCTURE',
        text: `${error.message ?? 'is invalid'} (${profile}).`,
      };
  }
};

/** The pointer of the element an error is about (`required` and `additionalProperties` name a child). */
const pointerOf = (error: ErrorObject): string => {
  const { params } = error;
  if (error.keyword === 'required') return `${error.instancePath}/${String(params.missingProperty)}`;
  if (error.keyword === 'additionalProperties')
    return `${error.instancePath}/${String(params.additionalProperty)}`;
  return error.instancePath;
};

const CHILD_KEYWORDS: ReadonlySet<string> = new Set(['required', 'additionalProperties']);

/** Reports ajv errors as problems naming each element by FHIRPath. */
export const reportSchemaErrors = (
  errors: readonly ErrorObject[] | null | undefined,
  target: SchemaTarget,
  problems: Problems,
): void => {
  for (const error of errors ?? []) {
    const described = describeError(error, target.profile);
    if (!described) continue;
    const pointer = pointerOf(error);
    // A value's own annotations speak for it; an object's do not speak for its missing or extra
    // children, and an annotation describes the value's form, not a value of the wrong JSON type.
    const parent: JsonObject | undefined =
      isObject(error.parentSchema) && !CHILD_KEYWORDS.has(error.keyword) && error.keyword !== 'type'
        ? error.parentSchema
        : undefined;
    const annotatedCode = parent?.[ANNOTATIONS.code];
    const annotatedText = parent?.[ANNOTATIONS.message];
    const code = isErrorCode(annotatedCode) ? annotatedCode : described.code;
    const text = typeof annotatedText === 'string' ? annotatedText : described.text;
    problems.error(
      code,
      pointerToFhirPath(target.path, pointer),
      `${pointerToFhirPath(target.label, pointer)} ${text}`,
    );
  }
};
