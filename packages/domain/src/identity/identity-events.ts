import type { CitizenId } from '@nexo/identifiers';

/** Demographic fields kept per person from the national registry feed (never from records). */
export interface Demographics {
  readonly name?: string;
  readonly motherName?: string;
  readonly birthDate?: string;
  readonly sex?: 'male' | 'female' | 'unknown';
  readonly birthPlace?: string;
}

/** The demographic fields, in the order the feed lists them. */
export const DEMOGRAPHIC_FIELDS = [
  'name',
  'motherName',
  'birthDate',
  'sex',
  'birthPlace',
] as const satisfies ReadonlyArray<keyof Demographics>;

/** A person the national registry identified (again): identifiers added, demographics replaced. */
export interface CitizenIdentifiedData {
  readonly personId: string;
  readonly identifiers: readonly CitizenId[];
  readonly demographics: Demographics;
}

/** Identifiers (provisional CNS, definitive CNS, CPF) now known to name this person. */
export interface IdentifiersLinkedData {
  readonly personId: string;
  readonly identifiers: readonly CitizenId[];
}

/**
 * Identifiers the registry found were linked to this person by mistake: they no longer name them,
 * and each names nobody until the registry identifies or links it again.
 */
export interface IdentifiersUnlinkedData {
  readonly personId: string;
  readonly identifiers: readonly CitizenId[];
}

/** Two persons found to be one: the merged person's identifiers now name the survivor. */
export interface CitizensMergedData {
  readonly personId: string;
  readonly mergedPersonId: string;
  readonly identifiers: readonly CitizenId[];
}

/** Every identity event is appended to this one stream, in the order the registry decided. */
export const IDENTITY_STREAM = 'identity-registry';
