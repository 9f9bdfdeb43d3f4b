import { describe, expect, it } from 'vitest';
import type { RiaSummary } from '@nexo/fhir';
import { decideCovidCertificate, type VaccinationCardEntry } from '../src/index.ts';

const CS = 'http://www.saude.gov.br/fhir/r4/CodeSystem/';
let next = 0;
const entry = (
  vaccine: string,
  dose: string,
  date: string,
  transcription?: { origin: '01' | '02'; country?: string },
): VaccinationCardEntry => {
  const immunization: RiaSummary = {
    recordType: 'RIA',
    vaccine: { system: `${CS}BRImunobiologico`, code: vaccine },
    dose: { system: `${CS}BRDose`, code: dose },
    occurrence: `${date}T10:00:00-03:00`,
    ...(transcription
      ? {
          transcription: {
            origin: { system: `${CS}BRRegistroOrigem`, code: transcription.origin },
            ...(transcription.country
              ? { country: { system: `${CS}BRPais`, code: transcription.country } }
              : {}),
          },
        }
      : { lotNumber: 'LOT-1' }),
  };
  return { recordId: `rec-${++next}`, establishment: '9990011', recordedAt: '', immunization };
};
const abroad = { origin: '02', country: '21' } as const;

const outcome = (card: VaccinationCardEntry[]) => {
  const decision = decideCovidCertificate(card);
  return {
    issuable: decision.issuable,
    ...(decision.issuable ? {} : { reason: decision.reason }),
    doses: decision.doses.map((d) => `${d.dose.code}${d.givenAbroad ? '@abroad' : ''}`),
  };
};

describe('COVID-19 certificate: the primary series must be given in Brazil', () => {
  const cases: Array<{ rule: string; card: VaccinationCardEntry[]; then: ReturnType<typeof outcome> }> = [
    {
      rule: 'no COVID-19 dose: nothing to certify (other vaccines are ignored)',
      card: [entry('77', '8', '2025-03-10')],
      then: { issuable: false, reason: 'no-doses', doses: [] },
    },
    {
      rule: '1st and 2nd dose in Brazil: issued, doses oldest first',
      card: [entry('87', '2', '2021-08-01'), entry('77', '8', '2021-07-01'), entry('87', '1', '2021-05-01')],
      then: { issuable: true, doses: ['1', '2'] },
    },
    {
      rule: 'a single dose in Brazil: issued',
      card: [entry('88', '9', '2021-06-01')],
      then: { issuable: true, doses: ['9'] },
    },
    {
      rule: 'a dose transcribed from a paper card was given in Brazil',
      card: [
        entry('86', '1', '2021-03-01', { origin: '01' }),
        entry('86', '2', '2021-03-29', { origin: '01' }),
      ],
      then: { issuable: true, doses: ['1', '2'] },
    },
    {
      rule: 'a booster given abroad after a series in Brazil stays on the certificate, marked',
      card: [
        entry('87', '1', '2021-05-01'),
        entry('87', '2', '2021-08-01'),
        entry('97', '38', '2022-01-10', abroad),
      ],
      then: { issuable: true, doses: ['1', '2', '38@abroad'] },
    },
    {
      rule: '2nd dose given abroad: refused, the series is complete only counting it',
      card: [entry('87', '1', '2021-05-01'), entry('87', '2', '2021-08-01', abroad)],
      then: { issuable: false, reason: 'primary-series-abroad', doses: ['1', '2@abroad'] },
    },
    {
      rule: 'a single dose abroad and a booster in Brazil: refused',
      card: [entry('88', '9', '2021-06-01', abroad), entry('87', '38', '2022-01-10')],
      then: { issuable: false, reason: 'primary-series-abroad', doses: ['9@abroad', '38'] },
    },
    {
      rule: 'a country other than Brazil marks a dose abroad whatever the origin code',
      card: [entry('87', '1', '2021-05-01'), entry('87', '2', '2021-08-01', { origin: '01', country: '23' })],
      then: { issuable: false, reason: 'primary-series-abroad', doses: ['1', '2@abroad'] },
    },
    {
      rule: 'only the 1st dose: refused, incomplete',
      card: [entry('87', '1', '2021-05-01')],
      then: { issuable: false, reason: 'primary-series-incomplete', doses: ['1'] },
    },
  ];
  it.each(cases)('$rule', ({ card, then }) => {
    expect(outcome(card)).toEqual(then);
  });
});
