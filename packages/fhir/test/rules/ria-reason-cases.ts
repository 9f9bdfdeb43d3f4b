import { at, BASES, both, CS, FIRST, FUTURE, remove, SD, SECOND, set, type RuleCase } from './case.ts';

const { riaReason } = BASES;
const I = (path: string) => `${FIRST}.${path}`;
const C = (path: string) => `${SECOND}.${path}`;
const OTHER_CNS = '700000000000005';
const CLINICAL = 'http://terminology.hl7.org/CodeSystem/condition-clinical';

/**
 * RIA-R: the reason for a dose, Immunization.reasonReference → a Condition entry of
 * BRCID10Avaliado-1.0, as the national RIA guide defines it.
 */
export const RIA_REASON_CASES: RuleCase[] = [
  {
    rule: 'reasonReference resolves to an entry of the document',
    document: riaReason,
    change: set(I('reasonReference[0].reference'), 'urn:uuid:missing'),
    errors: [
      ['NEXO_ERR_VALIDATION_REFERENCE', at(I('reasonReference[0].reference'))],
      ['NEXO_ERR_VALIDATION_REFERENCE', 'Bundle.entry[2]'],
    ],
  },
  {
    rule: 'reasonReference points to a Condition',
    document: riaReason,
    change: set(I('reasonReference[0].reference'), 'urn:uuid:transient-0'),
    errors: [
      ['NEXO_ERR_VALIDATION_REFERENCE', at(I('reasonReference[0].reference'))],
      ['NEXO_ERR_VALIDATION_REFERENCE', 'Bundle.entry[2]'],
    ],
  },
  {
    rule: 'reasonReference names at most one reason',
    document: riaReason,
    change: set(I('reasonReference[1]'), { reference: 'urn:uuid:transient-2' }),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(I('reasonReference'))]],
  },
  {
    rule: 'reasonReference is a reference to an entry, not an identifier',
    document: riaReason,
    change: set(I('reasonReference[0]'), { identifier: { system: `${CS}BRCID10`, value: 'J45' } }),
    errors: [
      ['NEXO_ERR_VALIDATION_REQUIRED', at(I('reasonReference[0].reference'))],
      ['NEXO_ERR_VALIDATION_STRUCTURE', at(I('reasonReference[0].identifier'))],
      ['NEXO_ERR_VALIDATION_REFERENCE', 'Bundle.entry[2]'],
    ],
  },
  {
    rule: 'a Condition is in the document only as the Immunization’s reason',
    document: riaReason,
    change: remove(I('reasonReference')),
    errors: [['NEXO_ERR_VALIDATION_REFERENCE', 'Bundle.entry[2]']],
  },
  {
    rule: 'the Condition declares BRCID10Avaliado-1.0 when it declares a profile',
    document: riaReason,
    change: set(C('meta.profile'), [`${SD}BRCondicao-1.0`]),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(C('meta.profile'))]],
  },
  {
    rule: 'Condition.code is required',
    document: riaReason,
    change: remove(C('code')),
    errors: [['NEXO_ERR_VALIDATION_REQUIRED', at(C('code'))]],
  },
  {
    rule: 'Condition.code is from BRCID10 (system)',
    document: riaReason,
    change: set(C('code.coding[0].system'), 'http://hl7.org/fhir/sid/icd-10'),
    errors: [['NEXO_ERR_VALIDATION_CODE', at(C('code.coding[0].system'))]],
  },
  {
    rule: 'Condition.code is from BRCID10 (code)',
    document: riaReason,
    change: set(C('code.coding[0].code'), 'J45.0'),
    errors: [['NEXO_ERR_VALIDATION_CODE', at(C('code.coding[0].code'))]],
  },
  {
    rule: 'Condition.code has exactly one coding',
    document: riaReason,
    change: set(C('code.coding[1]'), { system: `${CS}BRCID10`, code: 'J450' }),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(C('code.coding'))]],
  },
  {
    rule: 'Condition.code carries no display or text (the code system gives the name)',
    document: riaReason,
    change: both(set(C('code.coding[0].display'), 'Asma'), set(C('code.text'), 'Asma')),
    errors: [
      ['NEXO_ERR_VALIDATION_PROFILE', at(C('code.coding[0].display'))],
      ['NEXO_ERR_VALIDATION_PROFILE', at(C('code.text'))],
    ],
  },
  {
    rule: 'Condition.category is from BRCategoriaDiagnostico',
    document: riaReason,
    change: set(C('category[0].coding[0].code'), '03'),
    errors: [['NEXO_ERR_VALIDATION_CODE', at(C('category[0].coding[0].code'))]],
  },
  {
    rule: 'Condition.category appears at most once',
    document: riaReason,
    change: set(C('category[1]'), { coding: [{ system: `${CS}BRCategoriaDiagnostico`, code: '02' }] }),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(C('category'))]],
  },
  {
    rule: 'Condition.clinicalStatus is from BREstadoResolucaoDiagnosticoProblema (HL7 condition-clinical)',
    document: riaReason,
    change: set(C('clinicalStatus.coding[0].code'), 'unknown'),
    errors: [['NEXO_ERR_VALIDATION_CODE', at(C('clinicalStatus.coding[0].code'))]],
  },
  {
    rule: 'Condition.clinicalStatus is from HL7 condition-clinical (system)',
    document: riaReason,
    change: set(C('clinicalStatus.coding[0].system'), `${CS}BREstadoResolucao`),
    errors: [['NEXO_ERR_VALIDATION_CODE', at(C('clinicalStatus.coding[0].system'))]],
  },
  {
    rule: 'Condition.verificationStatus is forbidden',
    document: riaReason,
    change: set(C('verificationStatus'), {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }],
    }),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(C('verificationStatus'))]],
  },
  {
    rule: 'Condition.identifier, severity, abatement[x] and recordedDate are forbidden',
    document: riaReason,
    change: both(
      set(C('identifier'), [{ system: 'urn:ietf:rfc:3986', value: 'urn:uuid:1' }]),
      set(C('severity'), { coding: [{ system: CLINICAL, code: 'active' }] }),
      set(C('abatementDateTime'), '2024-01-01'),
      set(C('recordedDate'), '2025-03-10'),
    ),
    errors: [
      ['NEXO_ERR_VALIDATION_PROFILE', at(C('identifier'))],
      ['NEXO_ERR_VALIDATION_PROFILE', at(C('severity'))],
      ['NEXO_ERR_VALIDATION_PROFILE', at(C('abatementDateTime'))],
      ['NEXO_ERR_VALIDATION_PROFILE', at(C('recordedDate'))],
    ],
  },
  {
    rule: 'Condition.subject is required',
    document: riaReason,
    change: remove(C('subject')),
    errors: [['NEXO_ERR_VALIDATION_REQUIRED', at(C('subject'))]],
  },
  {
    rule: 'Condition.subject names the document’s citizen',
    document: riaReason,
    change: set(C('subject.identifier.value'), OTHER_CNS),
    errors: [['NEXO_ERR_BUSINESS_RULE', at(C('subject.identifier.value'))]],
  },
  {
    rule: 'Condition.subject is an identifier only',
    document: riaReason,
    change: set(C('subject.reference'), 'Patient/1'),
    errors: [['NEXO_ERR_VALIDATION_STRUCTURE', at(C('subject.reference'))]],
  },
  {
    rule: 'Condition.onsetDateTime is not in the future',
    document: riaReason,
    change: set(C('onsetDateTime'), FUTURE),
    errors: [['NEXO_ERR_VALIDATION_DATE', at(C('onsetDateTime'))]],
  },
  {
    rule: 'Condition.onset[x] is a dateTime only',
    document: riaReason,
    change: both(remove(C('onsetDateTime')), set(C('onsetString'), 'na infância')),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(C('onsetString'))]],
  },
  {
    rule: 'Condition.note is one text, without author or time',
    document: riaReason,
    change: both(set(C('note[0].time'), '2025-03-10'), set(C('note[1]'), { text: 'Segunda nota.' })),
    errors: [
      ['NEXO_ERR_VALIDATION_PROFILE', at(C('note'))],
      ['NEXO_ERR_VALIDATION_PROFILE', at(C('note[0].time'))],
    ],
  },
  {
    rule: 'Condition.note text is bounded like the card’s other texts',
    document: riaReason,
    change: set(C('note[0].text'), 'Asma persistente. '.repeat(60)),
    errors: [['NEXO_ERR_VALIDATION_TOO_LONG', at(C('note[0].text'))]],
  },
];
