import { isValidCns } from './cns.ts';
import { isValidCpf } from './cpf.ts';
import { CITIZEN_SYSTEM_KIND, isCitizenIdentifierSystem } from './systems.ts';

export type CitizenIdKind = 'CNS' | 'CPF';

/** A citizen, named by one national number. */
export interface CitizenId {
  readonly kind: CitizenIdKind;
  readonly number: string;
}

export type CitizenIdProblem =
  'missing-system' | 'missing-value' | 'unknown-system' | 'invalid-cns' | 'invalid-cpf' | 'wrong-length';

export type CitizenIdResult = { ok: true; id: CitizenId } | { ok: false; reason: CitizenIdProblem };

const LENGTH = { CNS: 15, CPF: 11 } as const;
const PREFIX = { CNS: 'cns:', CPF: 'cpf:' } as const;

const isValid = (kind: CitizenIdKind, number: string): boolean =>
  kind === 'CNS' ? isValidCns(number) : isValidCpf(number);

/** The stable key of a citizen id: `cns:<15 digits>` or `cpf:<11 digits>`. */
export const citizenKey = (id: CitizenId): string => PREFIX[id.kind] + id.number;

/** The citizen id a key names, or undefined when the key is malformed or its number invalid. */
export const parseCitizenKey = (key: string): CitizenId | undefined => {
  const kind: CitizenIdKind | undefined = key.startsWith(PREFIX.CNS)
    ? 'CNS'
    : key.startsWith(PREFIX.CPF)
      ? 'CPF'
      : undefined;
  if (kind === undefined) return undefined;
  const number = key.slice(PREFIX[kind].length);
  return isValid(kind, number) ? { kind, number } : undefined;
};

const kindByLength = (value: string): CitizenIdKind | undefined =>
  value.length === LENGTH.CNS ? 'CNS' : value.length === LENGTH.CPF ? 'CPF' : undefined;

/**
 * Normalises a FHIR Identifier {system, value} naming a citizen. The value is taken as sent: digits
 * only, no punctuation or spaces (the national systems never format them).
 */
export const citizenIdFromIdentifier = (identifier: {
  system?: unknown;
  value?: unknown;
}): CitizenIdResult => {
  const { system, value } = identifier;
  if (typeof system !== 'string' || system === '') return { ok: false, reason: 'missing-system' };
  if (typeof value !== 'string' || value === '') return { ok: false, reason: 'missing-value' };
  if (!isCitizenIdentifierSystem(system)) return { ok: false, reason: 'unknown-system' };
  const declared = CITIZEN_SYSTEM_KIND[system];
  const kind = declared === 'either' ? kindByLength(value) : declared;
  if (kind === undefined || value.length !== LENGTH[kind]) return { ok: false, reason: 'wrong-length' };
  if (!isValid(kind, value)) return { ok: false, reason: kind === 'CNS' ? 'invalid-cns' : 'invalid-cpf' };
  return { ok: true, id: { kind, number: value } };
};
