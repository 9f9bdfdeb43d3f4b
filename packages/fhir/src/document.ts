import type { CitizenId } from '@nexo/identifiers';
import type { Problem, Warning } from './errors.ts';

export type RecordType = 'RIA' | 'REL' | 'RDM';
export type DocumentModel =
  'RIA-R-2.0' | 'RIA-1.0' | 'RIA-C-1.0' | 'RIA-C-2.0' | 'REL-1.1' | 'REL-1.0' | 'RDM';

/** A code from a code system; `display` comes from the shipped terminology when the hub knows the code. */
export interface Coded {
  readonly system: string;
  readonly code: string;
  readonly display?: string;
}

/**
 * Why a dose was given (RIA-R: Immunization.reasonReference → a BRCID10Avaliado-1.0 Condition), as
 * the card shows it: the CID-10 condition and what the sender said about it.
 */
export interface RiaReason {
  /** BRCID10. */
  readonly condition: Coded;
  /** BRCategoriaDiagnostico: 01 Principal, 02 Secundário. */
  readonly category?: Coded;
  /** HL7 condition-clinical (active, resolved, …). */
  readonly clinicalStatus?: Coded;
  readonly onset?: string;
  readonly note?: string;
}

/** The facts of a vaccination a citizen's card shows. */
export interface RiaSummary {
  readonly recordType: 'RIA';
  readonly vaccine: Coded;
  readonly dose: Coded;
  readonly occurrence: string;
  readonly lotNumber?: string;
  readonly manufacturer?: Coded;
  readonly site?: Coded;
  readonly route?: Coded;
  readonly strategy?: Coded;
  readonly group?: Coded;
  readonly performerFunction?: Coded;
  /** Set when `primarySource` is false: a dose given abroad or transcribed from a paper card. */
  readonly transcription?: { readonly origin: Coded; readonly country?: Coded };
  readonly reason?: RiaReason;
}

export type RelValue =
  | { readonly kind: 'qualitative'; readonly result: Coded }
  | {
      readonly kind: 'quantitative';
      readonly value: number;
      readonly unit: string;
      readonly ucum?: string;
      readonly interpretation?: Coded;
    };

export interface RelResult {
  readonly exam: Coded;
  readonly category: Coded;
  readonly issued: string;
  readonly method: string;
  readonly referenceRange: string;
  readonly value: RelValue;
  readonly specimen: { readonly type: Coded; readonly collected?: string };
}

/** The results of one lab report. */
export interface RelSummary {
  readonly recordType: 'REL';
  readonly results: readonly RelResult[];
}

export interface RdmDispensation {
  readonly medication: Coded;
  readonly form?: Coded;
  readonly quantity: { readonly value: number; readonly unit?: string };
  readonly handedOver: string;
  readonly prescribedAt: string;
  /** BRModalidadeFinanceira: 01 SUS, 02 Farmácia Popular. */
  readonly programme: Coded;
  /** The usage guidance the pharmacy wrote (MedicationDispense.note[0].text, "orientação de uso"). */
  readonly dosageText?: string;
  readonly price?: number;
}

/** The medicines handed over in one dispensation record. */
export interface RdmSummary {
  readonly recordType: 'RDM';
  readonly dispensations: readonly RdmDispensation[];
}

export interface ValidatedDocument {
  readonly recordType: RecordType;
  readonly model: DocumentModel;
  readonly bundleIdentifier: { readonly system: string; readonly value: string };
  /** Composition.author[0]. */
  readonly author: { readonly kind: 'CNES' | 'CNPJ' | 'CNS'; readonly number: string };
  readonly subject: CitizenId;
  /** `entered-in-error` only together with relatesTo (a cancellation). */
  readonly status: 'final' | 'entered-in-error';
  /** The record id from relatesTo[0].targetReference.reference `Composition/<id>`. */
  readonly replaces?: string;
  /** Composition.date. */
  readonly documentDate: string;
  readonly summary: RiaSummary | RelSummary | RdmSummary;
  /** Accepted but worth fixing, e.g. Observation.effective[x] (forbidden by the profile, tolerated). */
  readonly warnings: readonly Warning[];
}

export interface ValidateOptions {
  /** The hub's clock: no date in the document may be after it. */
  readonly now: Date;
}

export type ValidationResult = { ok: true; document: ValidatedDocument } | { ok: false; problems: Problem[] };

export interface DocumentValidator {
  validate(input: unknown, options: ValidateOptions): ValidationResult;
  /**
   * The profiles loaded. `profileBaseType` tells the resource type each constrains; the
   * CapabilityStatement lists each under that type.
   */
  readonly profiles: readonly string[];
  readonly codeSystems: ReadonlyArray<{ system: string; version: string; codes: number }>;
}
