/** Synthetic citizens and establishments with valid national identifiers. */
import { generateCnes, generateCns, generateCpf, type RandomSource } from '@nexo/identifiers';

export interface SyntheticCitizen {
  readonly cns: string;
  readonly cpf: string;
  /** Which number the documents about this citizen carry. */
  readonly identifiedBy: 'CNS' | 'CPF';
  /** The number the documents carry (the CNS or the CPF). */
  readonly number: string;
  /** Normalised key of the read models (`cns:<15>` / `cpf:<11>`), matching `number`. */
  readonly key: string;
  /** Development token the citizen API accepts for this citizen. */
  readonly token: string;
}

export type EstablishmentKind = 'UBS' | 'LAB' | 'PHARMACY';

export interface SyntheticEstablishment {
  readonly cnes: string;
  readonly kind: EstablishmentKind;
  /** Development token the sender API accepts for this establishment. */
  readonly token: string;
}

/**
 * A citizen with a CNS (definitive 70%, provisional otherwise) and a CPF; documents name them by
 * CNS four times out of five, like the national network's traffic.
 */
export const syntheticCitizen = (random: RandomSource): SyntheticCitizen => {
  const cns = generateCns(random() < 0.7 ? 'definitive' : 'provisional', random);
  const cpf = generateCpf(random);
  const identifiedBy = random() < 0.8 ? 'CNS' : 'CPF';
  const number = identifiedBy === 'CNS' ? cns : cpf;
  const kind = identifiedBy === 'CNS' ? 'cns' : 'cpf';
  return { cns, cpf, identifiedBy, number, key: `${kind}:${number}`, token: `dev-citizen-${kind}-${number}` };
};

/** `count` citizens with distinct numbers. */
export const syntheticCitizens = (count: number, random: RandomSource): SyntheticCitizen[] => {
  const seen = new Set<string>();
  const citizens: SyntheticCitizen[] = [];
  while (citizens.length < count) {
    const citizen = syntheticCitizen(random);
    if (seen.has(citizen.cns) || seen.has(citizen.cpf)) continue;
    seen.add(citizen.cns);
    seen.add(citizen.cpf);
    citizens.push(citizen);
  }
  return citizens;
};

/** `count` establishments of one kind with distinct CNES codes. */
export const syntheticEstablishments = (
  count: number,
  kind: EstablishmentKind,
  random: RandomSource,
): SyntheticEstablishment[] => {
  const seen = new Set<string>();
  const establishments: SyntheticEstablishment[] = [];
  while (establishments.length < count) {
    const cnes = generateCnes(random);
    if (seen.has(cnes)) continue;
    seen.add(cnes);
    establishments.push({ cnes, kind, token: `dev-establishment-${cnes}` });
  }
  return establishments;
};
