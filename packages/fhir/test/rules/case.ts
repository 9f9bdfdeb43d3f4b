import type { Bundle } from '@medplum/fhirtypes';
import type { NexoErrorCode } from '@nexo/fhir';
import {
  loadExample,
  rdmDocument,
  relDocument,
  removeAt,
  riaCampaignDocument,
  riaClinicalTrialDocument,
  riaLegacyDocument,
  riaReasonDocument,
  riaTranscriptionDocument,
  setAt,
} from '../fixtures/index.ts';

/** One national rule, broken on purpose: the document, the change, and every error it must cause. */
export interface RuleCase {
  readonly rule: string;
  readonly document: () => Bundle;
  readonly change: (bundle: Bundle) => void;
  /** [code, FHIRPath expression] of each error, in any order. */
  readonly errors: ReadonlyArray<readonly [NexoErrorCode, string]>;
}

export type Change = (bundle: Bundle) => void;

/** Paths are relative to the Bundle: `entry[1].resource.lotNumber`. */
export const set =
  (path: string, value: unknown): Change =>
  (bundle) =>
    setAt(bundle, path, value);
export const remove =
  (path: string): Change =>
  (bundle) =>
    removeAt(bundle, path);
export const both =
  (...changes: Change[]): Change =>
  (bundle) => {
    for (const change of changes) change(bundle);
  };

/** The FHIRPath of a Bundle-relative path. */
export const at = (path: string): string => `Bundle.${path}`;

export const SD = 'http://www.saude.gov.br/fhir/r4/StructureDefinition/';
export const CS = 'http://www.saude.gov.br/fhir/r4/CodeSystem/';
export const COMPOSITION = 'entry[0].resource';
export const FIRST = 'entry[1].resource';
export const SECOND = 'entry[2].resource';

/** A moment after every date in the bases, and a date after it. */
export const NOW = new Date('2025-06-01T12:00:00Z');
export const FUTURE = '2025-06-02T00:00:00-03:00';

export const BASES = {
  ria: () => loadExample('ria-r'),
  rel: () => loadExample('rel-qualitativo'),
  rdm: () => loadExample('rdm'),
  riaLegacy: () => riaLegacyDocument(),
  riaCampaign1: () => riaCampaignDocument('1.0'),
  riaCampaign2: () => riaCampaignDocument('2.0'),
  riaTranscription: () => riaTranscriptionDocument(),
  riaReason: () => riaReasonDocument(),
  riaClinicalTrial: () => riaClinicalTrialDocument(),
  relQuantity: () => relDocument({ value: 'quantitative' }),
  rel10: () => relDocument({ model: 'REL-1.0' }),
  rdmPriced: () => rdmDocument({ price: 9.9 }),
} as const;

/**
 * An element a national profile leaves out (max 0): its Bundle-relative path, a value FHIR R4
 * allows there, and where the error is named when not the element itself (a note's `time`).
 */
export type ForbiddenElement = readonly [path: string, value: unknown, namedAt?: string];

/**
 * One case per forbidden element: setting it is refused as not allowed by the profile, naming it.
 * `resources` names the resource of each entry (index 0 the Composition), for the rule's title.
 */
export const forbiddenElementCases = (
  document: () => Bundle,
  resources: readonly string[],
  elements: readonly ForbiddenElement[],
): RuleCase[] =>
  elements.map(([path, value, namedAt]) => ({
    rule: `${path.replace(/^entry\[(\d+)\]\.resource/, (whole, index: string) => resources[Number(index)] ?? whole)} is not allowed (max 0 in the national profile)`,
    document,
    change: set(path, value),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(namedAt ?? path)]],
  }));
