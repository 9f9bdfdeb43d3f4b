import type { CitizenId } from '@nexo/identifiers';
import { displayCns, type CovidDose, type Demographics } from '@nexo/domain';
import { maskName, type CertificateSigner } from './signing.ts';
import { TEXTS, type CertificateLanguage } from './texts.ts';

export const VERIFY_PATH = '/public/v1/certificates/verify';
export const KEYS_PATH = '/public/v1/certificates/keys';

interface CodedText {
  readonly code: string;
  readonly display?: string;
}

/** The certificate as data: what the JSON form answers and what the PDF prints. */
export interface CovidCertificateForm {
  readonly certificate: 'covid-19';
  readonly language: CertificateLanguage;
  readonly title: string;
  readonly issuer: string;
  readonly issuedAt: string;
  readonly holder: {
    readonly name?: string;
    readonly birthDate?: string;
    /** The definitive CNS when the registry knows one; the CPF only when the person has no CNS. */
    readonly cns?: string;
    readonly cpf?: string;
  };
  readonly doses: ReadonlyArray<{
    readonly vaccine: CodedText;
    readonly dose: CodedText;
    readonly date: string;
    readonly lotNumber?: string;
    readonly manufacturer?: CodedText;
    /** CNES of the establishment that registered the dose. */
    readonly establishment: string;
    readonly givenAbroad: boolean;
    readonly country?: CodedText;
  }>;
  readonly verification: { readonly code: string; readonly url: string; readonly keys: string };
}

const coded = (c: { code: string; display?: string }): CodedText => ({
  code: c.code,
  ...(c.display !== undefined ? { display: c.display } : {}),
});

export const buildCovidCertificate = (input: {
  readonly doses: readonly CovidDose[];
  readonly identifiers: readonly CitizenId[];
  readonly demographics?: Demographics;
  readonly language: CertificateLanguage;
  readonly issuedAt: Date;
  readonly signer: CertificateSigner;
  readonly baseUrl: string;
}): CovidCertificateForm => {
  const texts = TEXTS[input.language];
  const issuedAt = input.issuedAt.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const cns = displayCns({ identifiers: input.identifiers });
  const cpf = cns === undefined ? input.identifiers.find((i) => i.kind === 'CPF')?.number : undefined;
  const { name, birthDate } = input.demographics ?? {};
  const doses = input.doses.map((d) => ({
    vaccine: coded(d.vaccine),
    dose: { code: d.dose.code, display: texts.doses[d.dose.code] ?? d.dose.display ?? d.dose.code },
    date: d.occurrence.slice(0, 10),
    ...(d.lotNumber !== undefined ? { lotNumber: d.lotNumber } : {}),
    ...(d.manufacturer !== undefined ? { manufacturer: coded(d.manufacturer) } : {}),
    establishment: d.establishment,
    givenAbroad: d.givenAbroad,
    ...(d.country !== undefined ? { country: coded(d.country) } : {}),
  }));
  const code = input.signer.sign({
    t: 'covid-19',
    i: issuedAt,
    d: doses.length,
    l: doses.at(-1)?.date ?? '',
    ...(name ? { n: maskName(name) } : {}),
  });
  return {
    certificate: 'covid-19',
    language: input.language,
    title: texts.title,
    issuer: texts.issuer,
    issuedAt,
    holder: {
      ...(name ? { name } : {}),
      ...(birthDate ? { birthDate } : {}),
      ...(cns ? { cns } : {}),
      ...(cpf ? { cpf } : {}),
    },
    doses,
    verification: {
      code,
      url: `${input.baseUrl}${VERIFY_PATH}/${code}`,
      keys: `${input.baseUrl}${KEYS_PATH}`,
    },
  };
};
