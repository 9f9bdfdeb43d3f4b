/**
 * Identifier systems that name a citizen. The national documents use the BRIndividuo profile URL,
 * whose value is a CNS (15 digits) or a CPF (11 digits); the Patient API and BR Core use one system
 * per kind.
 */
export const CITIZEN_IDENTIFIER_SYSTEMS = {
  /** What the national documents use: 15 digits ⇒ CNS, 11 digits ⇒ CPF. */
  BR_INDIVIDUO: 'http://www.saude.gov.br/fhir/r4/StructureDefinition/BRIndividuo-1.0',
  /** The newer canonical of the same profile, accepted as an alias. */
  BR_INDIVIDUO_RNDS_FHIR: 'https://rnds-fhir.saude.gov.br/StructureDefinition/BRIndividuo-1.0',
  RNDS_CNS: 'http://rnds.saude.gov.br/fhir/r4/NamingSystem/cns',
  RNDS_CPF: 'http://rnds.saude.gov.br/fhir/r4/NamingSystem/cpf',
  BR_CORE_CNS: 'https://saude.gov.br/sid/cns',
  BR_CORE_CPF: 'https://saude.gov.br/sid/cpf',
} as const;

export type CitizenIdentifierSystem =
  (typeof CITIZEN_IDENTIFIER_SYSTEMS)[keyof typeof CITIZEN_IDENTIFIER_SYSTEMS];

/** Identifier systems that name a health establishment by its CNES (7 digits). */
export const ESTABLISHMENT_IDENTIFIER_SYSTEMS = {
  /** What the national documents use. */
  BR_ESTABELECIMENTO_SAUDE: 'http://www.saude.gov.br/fhir/r4/StructureDefinition/BREstabelecimentoSaude-1.0',
  BR_CORE_CNES: 'https://saude.gov.br/sid/cnes',
} as const;

export type EstablishmentIdentifierSystem =
  (typeof ESTABLISHMENT_IDENTIFIER_SYSTEMS)[keyof typeof ESTABLISHMENT_IDENTIFIER_SYSTEMS];

/** Which kind of number each citizen system carries; `either` decides by length (15 CNS, 11 CPF). */
export const CITIZEN_SYSTEM_KIND: Readonly<Record<CitizenIdentifierSystem, 'CNS' | 'CPF' | 'either'>> = {
  [CITIZEN_IDENTIFIER_SYSTEMS.BR_INDIVIDUO]: 'either',
  [CITIZEN_IDENTIFIER_SYSTEMS.BR_INDIVIDUO_RNDS_FHIR]: 'either',
  [CITIZEN_IDENTIFIER_SYSTEMS.RNDS_CNS]: 'CNS',
  [CITIZEN_IDENTIFIER_SYSTEMS.RNDS_CPF]: 'CPF',
  [CITIZEN_IDENTIFIER_SYSTEMS.BR_CORE_CNS]: 'CNS',
  [CITIZEN_IDENTIFIER_SYSTEMS.BR_CORE_CPF]: 'CPF',
};

export const isCitizenIdentifierSystem = (system: string): system is CitizenIdentifierSystem =>
  Object.hasOwn(CITIZEN_SYSTEM_KIND, system);

const ESTABLISHMENT_SYSTEMS: ReadonlySet<string> = new Set(Object.values(ESTABLISHMENT_IDENTIFIER_SYSTEMS));

export const isEstablishmentIdentifierSystem = (system: string): system is EstablishmentIdentifierSystem =>
  ESTABLISHMENT_SYSTEMS.has(system);
