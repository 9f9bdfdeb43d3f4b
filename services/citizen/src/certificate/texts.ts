import type { CovidCertificateDecision } from '@nexo/domain';

export const CERTIFICATE_LANGUAGES = ['pt', 'en', 'es'] as const;
export type CertificateLanguage = (typeof CERTIFICATE_LANGUAGES)[number];

export const isCertificateLanguage = (value: unknown): value is CertificateLanguage =>
  typeof value === 'string' && (CERTIFICATE_LANGUAGES as readonly string[]).includes(value);

/** The Content-Language of each answer. */
export const LANGUAGE_TAGS: Readonly<Record<CertificateLanguage, string>> = {
  pt: 'pt-BR',
  en: 'en',
  es: 'es',
};

type Refusal = Extract<CovidCertificateDecision, { issuable: false }>['reason'];

export interface CertificateTexts {
  readonly title: string;
  readonly issuer: string;
  readonly name: string;
  readonly birthDate: string;
  readonly cns: string;
  readonly cpf: string;
  readonly notInformed: string;
  readonly vaccine: string;
  readonly dose: string;
  readonly date: string;
  readonly lot: string;
  readonly establishment: string;
  readonly abroad: string;
  readonly issuedAt: string;
  readonly verification: string;
  readonly verifyAt: string;
  readonly note: string;
  /** Names of the BRDose codes a COVID-19 schedule uses; others keep the terminology's display. */
  readonly doses: Readonly<Record<string, string>>;
  readonly refusals: Readonly<Record<Refusal, string>>;
}

const PRIMARY_RULE_PT =
  'O certificado exige o esquema primário (1ª e 2ª dose, ou dose única) aplicado no Brasil. Doses aplicadas no exterior aparecem no seu cartão de vacinação, mas não contam para o certificado.';
const PRIMARY_RULE_EN =
  'The certificate requires the primary series (1st and 2nd dose, or a single dose) given in Brazil. Doses given abroad appear on your vaccination card but do not count towards the certificate.';
const PRIMARY_RULE_ES =
  'El certificado exige el esquema primario (1.ª y 2.ª dosis, o dosis única) aplicado en Brasil. Las dosis aplicadas en el extranjero aparecen en su tarjeta de vacunación, pero no cuentan para el certificado.';

export const TEXTS: Readonly<Record<CertificateLanguage, CertificateTexts>> = {
  pt: {
    title: 'Certificado Nacional de Vacinação COVID-19',
    issuer: 'Sistema Único de Saúde (SUS) — Ministério da Saúde do Brasil',
    name: 'Nome',
    birthDate: 'Data de nascimento',
    cns: 'CNS',
    cpf: 'CPF',
    notInformed: 'não informado',
    vaccine: 'Vacina',
    dose: 'Dose',
    date: 'Data',
    lot: 'Lote',
    establishment: 'Estabelecimento (CNES)',
    abroad: 'Exterior',
    issuedAt: 'Emitido em',
    verification: 'Código de verificação',
    verifyAt: 'Verifique em',
    note: 'Este certificado informa as doses registradas até a data de emissão.',
    doses: {
      '1': '1ª dose',
      '2': '2ª dose',
      '3': '3ª dose',
      '6': '1º reforço',
      '7': '2º reforço',
      '9': 'Dose única',
      '37': 'Dose adicional',
      '38': 'Reforço',
      '39': '3º reforço',
      '40': '4º reforço',
    },
    refusals: {
      'no-doses':
        'Não há dose de vacina contra a COVID-19 no seu cartão de vacinação; não é possível emitir o certificado.',
      'primary-series-abroad': PRIMARY_RULE_PT,
      'primary-series-incomplete':
        'O esquema primário (1ª e 2ª dose, ou dose única) ainda não está completo no seu cartão de vacinação; o certificado é emitido depois dele.',
    },
  },
  en: {
    title: 'National COVID-19 Vaccination Certificate',
    issuer: 'Brazilian Unified Health System (SUS) — Ministry of Health of Brazil',
    name: 'Name',
    birthDate: 'Date of birth',
    cns: 'CNS (national health card)',
    cpf: 'CPF (taxpayer number)',
    notInformed: 'not informed',
    vaccine: 'Vaccine',
    dose: 'Dose',
    date: 'Date',
    lot: 'Lot',
    establishment: 'Establishment (CNES)',
    abroad: 'Abroad',
    issuedAt: 'Issued on',
    verification: 'Verification code',
    verifyAt: 'Verify at',
    note: 'This certificate states the doses recorded up to its date of issue.',
    doses: {
      '1': '1st dose',
      '2': '2nd dose',
      '3': '3rd dose',
      '6': '1st booster',
      '7': '2nd booster',
      '9': 'Single dose',
      '37': 'Additional dose',
      '38': 'Booster',
      '39': '3rd booster',
      '40': '4th booster',
    },
    refusals: {
      'no-doses': 'There is no COVID-19 vaccine dose on your vaccination card; no certificate can be issued.',
      'primary-series-abroad': PRIMARY_RULE_EN,
      'primary-series-incomplete':
        'The primary series (1st and 2nd dose, or a single dose) is not complete on your vaccination card yet; the certificate is issued once it is.',
    },
  },
  es: {
    title: 'Certificado Nacional de Vacunación COVID-19',
    issuer: 'Sistema Único de Salud (SUS) — Ministerio de Salud de Brasil',
    name: 'Nombre',
    birthDate: 'Fecha de nacimiento',
    cns: 'CNS (tarjeta nacional de salud)',
    cpf: 'CPF',
    notInformed: 'no informado',
    vaccine: 'Vacuna',
    dose: 'Dosis',
    date: 'Fecha',
    lot: 'Lote',
    establishment: 'Establecimiento (CNES)',
    abroad: 'Extranjero',
    issuedAt: 'Emitido el',
    verification: 'Código de verificación',
    verifyAt: 'Verifique en',
    note: 'Este certificado informa las dosis registradas hasta la fecha de emisión.',
    doses: {
      '1': '1.ª dosis',
      '2': '2.ª dosis',
      '3': '3.ª dosis',
      '6': '1.er refuerzo',
      '7': '2.º refuerzo',
      '9': 'Dosis única',
      '37': 'Dosis adicional',
      '38': 'Refuerzo',
      '39': '3.er refuerzo',
      '40': '4.º refuerzo',
    },
    refusals: {
      'no-doses':
        'No hay ninguna dosis de vacuna contra la COVID-19 en su tarjeta de vacunación; no es posible emitir el certificado.',
      'primary-series-abroad': PRIMARY_RULE_ES,
      'primary-series-incomplete':
        'El esquema primario (1.ª y 2.ª dosis, o dosis única) aún no está completo en su tarjeta de vacunación; el certificado se emite después.',
    },
  },
};

/** A date (`YYYY-MM-DD`) as each language writes it. */
export const formatDate = (isoDate: string, language: CertificateLanguage): string => {
  const [year, month, day] = isoDate.slice(0, 10).split('-');
  return language === 'en' ? `${year}-${month}-${day}` : `${day}/${month}/${year}`;
};
