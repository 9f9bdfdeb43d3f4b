import type { ValidatedDocument } from '@nexo/fhir';

/** A validated RIA document as the fhir package hands it to the domain. */
export const riaDocument = (overrides: Partial<ValidatedDocument> = {}): ValidatedDocument => ({
  recordType: 'RIA',
  model: 'RIA-R-2.0',
  bundleIdentifier: { system: 'http://www.saude.gov.br/fhir/r4/NamingSystem/BRRNDS-99', value: 'UBS-1' },
  author: { kind: 'CNES', number: '9990011' },
  subject: { kind: 'CNS', number: '266764941990004' },
  status: 'final',
  documentDate: '2025-03-10T09:42:00-03:00',
  summary: {
    recordType: 'RIA',
    vaccine: { system: 'BRImunobiologico', code: '77', display: 'Influenza' },
    dose: { system: 'BRDose', code: '8', display: 'Dose' },
    occurrence: '2025-03-10T09:30:00-03:00',
    lotNumber: 'INF25B031',
  },
  warnings: [],
  ...overrides,
});
