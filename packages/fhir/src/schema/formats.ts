import { isValidCnes, isValidCnpj, isValidCns, isValidCpf } from '@nexo/identifiers';
import { DATE_SHAPES, isFhirDate } from '../fhir-dates.ts';
import type { NexoErrorCode } from '../errors.ts';

interface NexoFormat {
  readonly validate: (value: string) => boolean;
  readonly code: NexoErrorCode;
  /** Completes "<element> must be …". */
  readonly expected: string;
}

/** Custom ajv formats used by the profile schemas, each with the problem it raises. */
export const NEXO_FORMATS: Readonly<Record<string, NexoFormat>> = {
  cns: {
    validate: isValidCns,
    code: 'NEXO_ERR_VALIDATION_IDENTIFIER',
    expected:
      'a valid CNS: 15 digits starting with 1, 2 (definitive) or 7, 8, 9 (provisional) whose check digits match',
  },
  cpf: {
    validate: isValidCpf,
    code: 'NEXO_ERR_VALIDATION_IDENTIFIER',
    expected: 'a valid CPF: 11 digits, no punctuation, not all equal, whose check digits match',
  },
  cnes: {
    validate: isValidCnes,
    code: 'NEXO_ERR_VALIDATION_IDENTIFIER',
    expected: 'a CNES: exactly 7 digits',
  },
  cnpj: {
    validate: isValidCnpj,
    code: 'NEXO_ERR_VALIDATION_IDENTIFIER',
    expected: 'a valid CNPJ: 14 characters, no punctuation, whose check digits match',
  },
  'fhir-instant': {
    validate: (value) => isFhirDate(value, 'instant'),
    code: 'NEXO_ERR_VALIDATION_DATE',
    expected: `${DATE_SHAPES.instant}, and a real calendar date`,
  },
  'fhir-date-time': {
    validate: (value) => isFhirDate(value, 'dateTime'),
    code: 'NEXO_ERR_VALIDATION_DATE',
    expected: `${DATE_SHAPES.dateTime}, and a real calendar date`,
  },
  'fhir-day-or-date-time': {
    validate: (value) => isFhirDate(value, 'dayOrDateTime'),
    code: 'NEXO_ERR_VALIDATION_DATE',
    expected: `${DATE_SHAPES.dayOrDateTime}, and a real calendar date`,
  },
  'fhir-date': {
    validate: (value) => isFhirDate(value, 'date'),
    code: 'NEXO_ERR_VALIDATION_DATE',
    expected: `${DATE_SHAPES.date}, and a real calendar date`,
  },
};
