export {
  createWorkload,
  type SyntheticRecordType,
  type Submission,
  type SubmissionKind,
  type Workload,
  type WorkloadOptions,
} from './workload.ts';
export {
  syntheticCitizen,
  syntheticCitizens,
  syntheticEstablishments,
  type EstablishmentKind,
  type SyntheticCitizen,
  type SyntheticEstablishment,
} from './people.ts';
export { riaBundle, riaFacts, type RiaFacts } from './ria.ts';
export { relBundle, relFacts, type RelFacts } from './rel.ts';
export { rdmBundle, rdmFacts, type RdmFacts } from './rdm.ts';
export {
  INVALID_KINDS,
  INVALID_STATUS,
  cancellationOf,
  invalidVariant,
  replacementOf,
  type InvalidKind,
} from './variants.ts';
export { codesOf, vaccineCodes } from './terminology.ts';
export { fhirDate, fhirDateTime, type JsonObject, type SyntheticBundle } from './fhir-json.ts';
