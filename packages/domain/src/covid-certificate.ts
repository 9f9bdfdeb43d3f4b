import type { Coded } from '@nexo/fhir';
import type { VaccinationCardEntry } from './citizen-views.ts';
import { instantOf } from './instants.ts';

/** BRImunobiologico codes of the COVID-19 vaccines (the validator binds vaccineCode to that system). */
export const COVID_VACCINE_CODES: ReadonlySet<string> = new Set([
  '85', '86', '87', '88', '89', '95', '96', '97', '98', '99', '102', '103', '105', '112', '114',
]); // prettier-ignore

/** BRDose codes of the primary series: 1st and 2nd dose, or the single dose. */
export const PRIMARY_SERIES_DOSES = { first: '1', second: '2', single: '9' } as const;

/** BRRegistroOrigem `02` (given abroad) and BRPais `10` (Brazil). */
const GIVEN_ABROAD = '02';
const BRAZIL = '10';

/** One COVID-19 dose as a certificate lists it. */
export interface CovidDose {
  readonly recordId: string;
  readonly vaccine: Coded;
  readonly dose: Coded;
  readonly occurrence: string;
  readonly lotNumber?: string;
  readonly manufacturer?: Coded;
  /** CNES of the establishment that registered the dose. */
  readonly establishment: string;
  /** A dose given abroad and transcribed into the card (it counts for the card, not the certificate). */
  readonly givenAbroad: boolean;
  readonly country?: Coded;
}

export type CovidCertificateDecision =
  | { readonly issuable: true; readonly doses: readonly CovidDose[] }
  | {
      readonly issuable: false;
      /**
       * `no-doses`: no COVID-19 dose on the card; `primary-series-abroad`: the series is complete
       * only counting doses given abroad; `primary-series-incomplete`: not complete at all.
       */
      readonly reason: 'no-doses' | 'primary-series-abroad' | 'primary-series-incomplete';
      readonly doses: readonly CovidDose[];
    };

const isAbroad = (entry: VaccinationCardEntry): boolean => {
  const transcription = entry.immunization.transcription;
  if (!transcription) return false;
  const country = transcription.country?.code;
  return transcription.origin.code === GIVEN_ABROAD || (country !== undefined && country !== BRAZIL);
};

/** The COVID-19 doses of a vaccination card, oldest first. */
export const covidDoses = (card: readonly VaccinationCardEntry[]): CovidDose[] =>
  card
    .filter((entry) => COVID_VACCINE_CODES.has(entry.immunization.vaccine.code))
    .map((entry): CovidDose => {
      const { vaccine, dose, occurrence, lotNumber, manufacturer, transcription } = entry.immunization;
      const country = transcription?.country;
      return {
        recordId: entry.recordId,
        vaccine,
        dose,
        occurrence,
        ...(lotNumber !== undefined ? { lotNumber } : {}),
        ...(manufacturer !== undefined ? { manufacturer } : {}),
        establishment: entry.establishment,
        givenAbroad: isAbroad(entry),
        ...(country !== undefined ? { country } : {}),
      };
    })
    .sort((a, b) => instantOf(a.occurrence) - instantOf(b.occurrence) || (a.recordId < b.recordId ? -1 : 1));

const completesPrimarySeries = (doses: readonly CovidDose[]): boolean => {
  const codes = new Set(doses.map((d) => d.dose.code));
  return (
    codes.has(PRIMARY_SERIES_DOSES.single) ||
    (codes.has(PRIMARY_SERIES_DOSES.first) && codes.has(PRIMARY_SERIES_DOSES.second))
  );
};

/**
 * The seeds' rule: doses given abroad stay on the vaccination card, but the COVID-19 certificate
 * is issued only when the primary series (1st and 2nd dose, or the single dose) was given in Brazil.
 */
export const decideCovidCertificate = (card: readonly VaccinationCardEntry[]): CovidCertificateDecision => {
  const doses = covidDoses(card);
  if (doses.length === 0) return { issuable: false, reason: 'no-doses', doses };
  if (completesPrimarySeries(doses.filter((d) => !d.givenAbroad))) return { issuable: true, doses };
  const reason = completesPrimarySeries(doses) ? 'primary-series-abroad' : 'primary-series-incomplete';
  return { issuable: false, reason, doses };
};
