export * from './errors.ts';
export * from './operation-outcome.ts';
export type {
  Coded,
  DocumentModel,
  DocumentValidator,
  RdmDispensation,
  RdmSummary,
  RecordType,
  RelResult,
  RelSummary,
  RelValue,
  RiaReason,
  RiaSummary,
  ValidatedDocument,
  ValidateOptions,
  ValidationResult,
} from './document.ts';
export { createDocumentValidator } from './validator.ts';
export { modelForCompositionProfile, profileBaseType } from './models.ts';
export { CLOCK_SKEW_MS } from './rules/dates.ts';
export { earliestInstant } from './fhir-dates.ts';
export { charactersExceed } from './rules/texts.ts';
export { parseCodeSystemFile, type CodeSystemFile } from './terminology/code-system-file.ts';
export { isObject } from './json.ts';
