import { at, BASES, COMPOSITION, FIRST, remove, set, type RuleCase } from './case.ts';

const { ria, rel, rdm } = BASES;
const C = (path: string) => `${COMPOSITION}.${path}`;
const OTHER_CNS = '700000000000005';

/** The citizen: who the document is about, named the same way by every resource. */
export const SUBJECT_CASES: RuleCase[] = [
  {
    rule: 'Composition.subject is an identifier only',
    document: ria,
    change: set(C('subject.reference'), 'Patient/1'),
    errors: [['NEXO_ERR_VALIDATION_STRUCTURE', at(C('subject.reference'))]],
  },
  {
    rule: 'Composition.subject is required',
    document: ria,
    change: remove(C('subject')),
    errors: [['NEXO_ERR_VALIDATION_REQUIRED', at(C('subject'))]],
  },
  {
    rule: 'the subject CNS passes its check',
    document: ria,
    change: set(C('subject.identifier.value'), '266764941990005'),
    errors: [['NEXO_ERR_VALIDATION_IDENTIFIER', at(C('subject.identifier.value'))]],
  },
  {
    rule: 'the subject system is a citizen identifier system',
    document: ria,
    change: set(C('subject.identifier.system'), 'urn:oid:2.16.840.1.113883.13.236'),
    errors: [['NEXO_ERR_VALIDATION_IDENTIFIER', at(C('subject.identifier.system'))]],
  },
  {
    rule: 'a BRIndividuo value has 15 (CNS) or 11 (CPF) digits',
    document: ria,
    change: set(C('subject.identifier.value'), '2667649419900'),
    errors: [['NEXO_ERR_VALIDATION_IDENTIFIER', at(C('subject.identifier.value'))]],
  },
  {
    rule: 'a CPF subject passes its check',
    document: rdm,
    change: set(C('subject.identifier.value'), '93273918455'),
    errors: [['NEXO_ERR_VALIDATION_IDENTIFIER', at(C('subject.identifier.value'))]],
  },
  {
    rule: 'REL subject system is fixed to BRIndividuo-1.0',
    document: rel,
    change: set(C('subject.identifier.system'), 'https://saude.gov.br/sid/cns'),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(C('subject.identifier.system'))]],
  },
  {
    rule: 'the Immunization names the Composition subject',
    document: ria,
    change: set(`${FIRST}.patient.identifier.value`, OTHER_CNS),
    errors: [['NEXO_ERR_BUSINESS_RULE', at(`${FIRST}.patient.identifier.value`)]],
  },
  {
    rule: 'the Observation names the Composition subject',
    document: rel,
    change: set(`${FIRST}.subject.identifier.value`, OTHER_CNS),
    errors: [['NEXO_ERR_BUSINESS_RULE', at(`${FIRST}.subject.identifier.value`)]],
  },
  {
    rule: 'the MedicationDispense names the Composition subject (a CNS is not the same number as a CPF)',
    document: rdm,
    change: set(`${FIRST}.subject.identifier.value`, '266764941990004'),
    errors: [['NEXO_ERR_BUSINESS_RULE', at(`${FIRST}.subject.identifier.value`)]],
  },
];
