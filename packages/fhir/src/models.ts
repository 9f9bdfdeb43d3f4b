import { PROFILES } from './canonical.ts';
import type { DocumentModel, RecordType } from './document.ts';

export type ClinicalType = 'Immunization' | 'Observation' | 'MedicationDispense';

/** What the hub knows about one national document model. */
export interface ModelSpec {
  readonly id: DocumentModel;
  readonly recordType: RecordType;
  readonly compositionProfile: string;
  /** The resource the section references. */
  readonly clinicalType: ClinicalType;
  /** Profile of every resource type allowed in entries after the Composition. */
  readonly resourceProfiles: Readonly<Partial<Record<string, string>>>;
}

export const MODELS: Readonly<Record<DocumentModel, ModelSpec>> = {
  'RIA-R-2.0': {
    id: 'RIA-R-2.0',
    recordType: 'RIA',
    compositionProfile: PROFILES.RIA_R_COMPOSITION,
    clinicalType: 'Immunization',
    resourceProfiles: {
      Immunization: PROFILES.RIA_R_IMMUNIZATION,
      Condition: PROFILES.RIA_R_REASON_CONDITION,
    },
  },
  'RIA-1.0': {
    id: 'RIA-1.0',
    recordType: 'RIA',
    compositionProfile: PROFILES.RIA_COMPOSITION_1_0,
    clinicalType: 'Immunization',
    resourceProfiles: { Immunization: PROFILES.RIA_IMMUNIZATION_1_0 },
  },
  'RIA-C-1.0': {
    id: 'RIA-C-1.0',
    recordType: 'RIA',
    compositionProfile: PROFILES.RIA_C_COMPOSITION_1_0,
    clinicalType: 'Immunization',
    resourceProfiles: { Immunization: PROFILES.RIA_C_IMMUNIZATION_1_0 },
  },
  'RIA-C-2.0': {
    id: 'RIA-C-2.0',
    recordType: 'RIA',
    compositionProfile: PROFILES.RIA_C_COMPOSITION_2_0,
    clinicalType: 'Immunization',
    resourceProfiles: { Immunization: PROFILES.RIA_C_IMMUNIZATION_2_0 },
  },
  'REL-1.1': {
    id: 'REL-1.1',
    recordType: 'REL',
    compositionProfile: PROFILES.REL_COMPOSITION_1_1,
    clinicalType: 'Observation',
    resourceProfiles: { Observation: PROFILES.REL_OBSERVATION, Specimen: PROFILES.REL_SPECIMEN },
  },
  'REL-1.0': {
    id: 'REL-1.0',
    recordType: 'REL',
    compositionProfile: PROFILES.REL_COMPOSITION_1_0,
    clinicalType: 'Observation',
    resourceProfiles: { Observation: PROFILES.REL_OBSERVATION, Specimen: PROFILES.REL_SPECIMEN },
  },
  RDM: {
    id: 'RDM',
    recordType: 'RDM',
    compositionProfile: PROFILES.RDM_COMPOSITION,
    clinicalType: 'MedicationDispense',
    resourceProfiles: {
      MedicationDispense: PROFILES.RDM_MEDICATION_DISPENSE,
      Medication: PROFILES.RDM_MEDICATION,
    },
  },
};

/**
 * The model used when a Composition declares no `meta.profile`: the current one for its type code.
 * Senders of legacy (RIA 1.0, REL 1.0) or campaign (RIA-C) documents must declare the profile.
 */
export const CURRENT_MODEL: Readonly<Record<RecordType, DocumentModel>> = {
  RIA: 'RIA-R-2.0',
  REL: 'REL-1.1',
  RDM: 'RDM',
};

const BY_COMPOSITION_PROFILE: ReadonlyMap<string, ModelSpec> = new Map(
  Object.values(MODELS).map((model) => [model.compositionProfile, model]),
);

export const modelForCompositionProfile = (profile: string): ModelSpec | undefined =>
  BY_COMPOSITION_PROFILE.get(profile);

const CLINICAL_TO_RECORD: Readonly<Record<ClinicalType, RecordType>> = {
  Immunization: 'RIA',
  Observation: 'REL',
  MedicationDispense: 'RDM',
};

export const recordTypeOfClinical = (resourceType: string): RecordType | undefined =>
  Object.hasOwn(CLINICAL_TO_RECORD, resourceType)
    ? CLINICAL_TO_RECORD[resourceType as ClinicalType]
    : undefined;

export const isRecordType = (code: string): code is RecordType => Object.hasOwn(CURRENT_MODEL, code);

/** Every profile some model uses, each once (compositions first). */
export const ALL_PROFILES: readonly string[] = [
  ...new Set([
    ...Object.values(MODELS).map((m) => m.compositionProfile),
    ...Object.values(MODELS).flatMap((m) => Object.values(m.resourceProfiles).filter((p) => p !== undefined)),
  ]),
];

/**
 * The resource type each profile constrains (its StructureDefinition.type), read from the models:
 * a Composition profile constrains Composition, and `resourceProfiles` is keyed by resource type.
 */
const BASE_TYPE_BY_PROFILE: ReadonlyMap<string, string> = new Map([
  ...Object.values(MODELS).map((m): [string, string] => [m.compositionProfile, 'Composition']),
  ...Object.values(MODELS).flatMap((m) =>
    Object.entries(m.resourceProfiles).flatMap(([type, profile]): Array<[string, string]> =>
      profile === undefined ? [] : [[profile, type]],
    ),
  ),
]);

/** The resource type a profile of the models constrains; undefined for a profile no model uses. */
export const profileBaseType = (profile: string): string | undefined => BASE_TYPE_BY_PROFILE.get(profile);
