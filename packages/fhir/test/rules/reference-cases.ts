import { at, BASES, COMPOSITION, FIRST, remove, set, type RuleCase } from './case.ts';

const { ria, rel, rdm } = BASES;
const SECTION_REF = `${COMPOSITION}.section[0].entry[0].reference`;

export const REFERENCE_CASES: RuleCase[] = [
  {
    rule: 'a section reference resolves to an entry fullUrl',
    document: ria,
    change: set(SECTION_REF, 'urn:uuid:missing'),
    errors: [
      ['NEXO_ERR_VALIDATION_REFERENCE', at(SECTION_REF)],
      ['NEXO_ERR_VALIDATION_REFERENCE', 'Bundle.entry[1]'],
    ],
  },
  {
    rule: 'the section references clinical resources, not the Specimen',
    document: rel,
    change: set(SECTION_REF, 'urn:uuid:transient-2'),
    errors: [
      ['NEXO_ERR_VALIDATION_REFERENCE', at(SECTION_REF)],
      ['NEXO_ERR_VALIDATION_REFERENCE', 'Bundle.entry[1]'],
    ],
  },
  {
    rule: 'the Medication is referenced from the MedicationDispense, not the section',
    document: rdm,
    change: set(`${COMPOSITION}.section[0].entry[1]`, { reference: 'urn:uuid:transient-2' }),
    errors: [['NEXO_ERR_VALIDATION_REFERENCE', at(`${COMPOSITION}.section[0].entry[1].reference`)]],
  },
  {
    rule: 'Observation.specimen resolves',
    document: rel,
    change: set(`${FIRST}.specimen.reference`, 'urn:uuid:missing'),
    errors: [
      ['NEXO_ERR_VALIDATION_REFERENCE', at(`${FIRST}.specimen.reference`)],
      ['NEXO_ERR_VALIDATION_REFERENCE', 'Bundle.entry[2]'],
    ],
  },
  {
    rule: 'Observation.specimen points to a Specimen',
    document: rel,
    change: set(`${FIRST}.specimen.reference`, 'urn:uuid:transient-0'),
    errors: [
      ['NEXO_ERR_VALIDATION_REFERENCE', at(`${FIRST}.specimen.reference`)],
      ['NEXO_ERR_VALIDATION_REFERENCE', 'Bundle.entry[2]'],
    ],
  },
  {
    rule: 'a resource does not reference itself',
    document: rel,
    change: set(`${FIRST}.specimen.reference`, 'urn:uuid:transient-1'),
    errors: [
      ['NEXO_ERR_VALIDATION_REFERENCE', at(`${FIRST}.specimen.reference`)],
      ['NEXO_ERR_VALIDATION_REFERENCE', 'Bundle.entry[2]'],
    ],
  },
  {
    rule: 'every entry is referenced (an extra Specimen)',
    document: rel,
    change: (bundle) =>
      bundle.entry?.push({
        fullUrl: 'urn:uuid:transient-3',
        resource: structuredClone(bundle.entry[2]?.resource),
      }),
    errors: [['NEXO_ERR_VALIDATION_REFERENCE', 'Bundle.entry[3]']],
  },
  {
    rule: 'MedicationDispense.medicationReference resolves',
    document: rdm,
    change: set(`${FIRST}.medicationReference.reference`, 'urn:uuid:missing'),
    errors: [
      ['NEXO_ERR_VALIDATION_REFERENCE', at(`${FIRST}.medicationReference.reference`)],
      ['NEXO_ERR_VALIDATION_REFERENCE', 'Bundle.entry[2]'],
    ],
  },
  {
    rule: 'MedicationDispense.medicationReference is required',
    document: rdm,
    change: remove(`${FIRST}.medicationReference`),
    errors: [
      ['NEXO_ERR_VALIDATION_REQUIRED', at(`${FIRST}.medicationReference`)],
      ['NEXO_ERR_VALIDATION_REFERENCE', 'Bundle.entry[2]'],
    ],
  },
  {
    rule: 'no reference leaves the document (MedicationDispense.authorizingPrescription)',
    document: rdm,
    change: set(`${FIRST}.authorizingPrescription`, [{ reference: 'MedicationRequest/123' }]),
    errors: [['NEXO_ERR_VALIDATION_REFERENCE', at(`${FIRST}.authorizingPrescription[0].reference`)]],
  },
];
