import {
  at,
  BASES,
  COMPOSITION,
  CS,
  FIRST,
  forbiddenElementCases,
  FUTURE,
  remove,
  SD,
  SECOND,
  set,
  type ForbiddenElement,
  type RuleCase,
} from './case.ts';

const { rdm, rdmPriced } = BASES;
const C = (path: string) => `${COMPOSITION}.${path}`;
const D = (path: string) => `${FIRST}.${path}`;
const M = (path: string) => `${SECOND}.${path}`;
const CITIZEN = { system: `${SD}BRIndividuo-1.0`, value: '93273918454' };

/**
 * Elements the national RDM model leaves out (max 0: BRRegistroDispensacaoMedicamento,
 * BRDispensacaoMedicamento, BRMedicamento), each with a value FHIR R4 allows there. The hub reads
 * none of them, so accepting one would drop what the pharmacy sent. References are by identifier
 * or display, so that only the profile, not reference resolution, speaks.
 */
const FORBIDDEN_BY_PROFILE: readonly ForbiddenElement[] = [
  [C('identifier'), { system: 'http://farmacia.example/registros', value: 'R-1' }],
  [C('category'), [{ coding: [{ system: `${CS}BRModalidadeAssistencial`, code: '01' }] }]],
  [C('encounter'), { identifier: { system: 'http://farmacia.example/atendimentos', value: 'AT-1' } }],
  [C('confidentiality'), 'N'],
  [C('attester'), [{ mode: 'legal' }]],
  [C('custodian'), { identifier: { system: 'https://saude.gov.br/sid/cnes', value: '9990033' } }],
  [C('event'), [{ code: [{ text: 'dispensação' }] }]],
  [D('language'), 'pt-BR'],
  [D('text'), { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">Dipirona</div>' }],
  [D('identifier'), [{ system: 'http://farmacia.example/dispensacoes', value: 'D-1' }]],
  [D('partOf'), [{ display: 'procedimento' }]],
  [D('statusReasonCodeableConcept'), { text: 'entregue' }],
  [D('statusReasonReference'), { display: 'problema detectado' }],
  [D('context'), { display: 'atendimento' }],
  [D('supportingInformation'), [{ display: 'receita' }]],
  [D('location'), { display: 'balcão' }],
  [D('type'), { text: 'primeira dispensação' }],
  [D('whenPrepared'), '2025-03-30'],
  [D('destination'), { display: 'residência' }],
  [D('substitution'), { wasSubstituted: false }],
  [D('detectedIssue'), [{ display: 'interação' }]],
  [D('eventHistory'), [{ display: 'histórico' }]],
  [D('performer[0].function'), { text: 'farmacêutico' }],
  [D('performer[0].id'), 'p1'],
  [D('quantity.id'), 'q1'],
  [M('id'), 'medicamento-1'],
  [M('language'), 'pt-BR'],
  [M('text'), { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">Dipirona</div>' }],
  [M('identifier'), [{ system: 'http://farmacia.example/produtos', value: 'P-1' }]],
  [M('status'), 'active'],
  [M('manufacturer'), { display: 'Laboratório' }],
  [M('amount'), { numerator: { value: 500, unit: 'mg' }, denominator: { value: 1 } }],
  [M('ingredient'), [{ itemCodeableConcept: { text: 'dipirona' } }]],
];

export const RDM_CASES: RuleCase[] = [
  {
    rule: 'an optional element is left out, never sent empty (ele-1)',
    document: rdm,
    change: set(D('daysSupply'), {}),
    errors: [['NEXO_ERR_VALIDATION_STRUCTURE', at(D('daysSupply'))]],
  },
  {
    rule: 'BRDataPrescricao is required',
    document: rdm,
    change: set(D('extension[0]'), { url: 'http://example.org/other', valueString: 'x' }),
    errors: [['NEXO_ERR_VALIDATION_REQUIRED', `${at(FIRST)}.extension('${SD}BRDataPrescricao')`]],
  },
  {
    rule: 'BRDataPrescricao is a date or dateTime',
    document: rdm,
    change: set(D('extension[0].valueDateTime'), '28/03/2025'),
    errors: [['NEXO_ERR_VALIDATION_DATE', at(D('extension[0].valueDateTime'))]],
  },
  {
    rule: 'BRDataPrescricao is not in the future',
    document: rdm,
    change: set(D('extension[0].valueDateTime'), FUTURE),
    errors: [['NEXO_ERR_VALIDATION_DATE', at(D('extension[0].valueDateTime'))]],
  },
  {
    rule: 'BRDataPrescricao is not before 1900',
    document: rdm,
    change: set(D('extension[0].valueDateTime'), '1899-03-28'),
    errors: [['NEXO_ERR_VALIDATION_DATE', at(D('extension[0].valueDateTime'))]],
  },
  {
    rule: 'MedicationDispense.status is completed',
    document: rdm,
    change: set(D('status'), 'in-progress'),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(D('status'))]],
  },
  {
    rule: 'MedicationDispense.category is required',
    document: rdm,
    change: remove(D('category')),
    errors: [['NEXO_ERR_VALIDATION_REQUIRED', at(D('category'))]],
  },
  {
    rule: 'MedicationDispense.category is from BRModalidadeFinanceira',
    document: rdm,
    change: set(D('category.coding[0].code'), '03'),
    errors: [['NEXO_ERR_VALIDATION_CODE', at(D('category.coding[0].code'))]],
  },
  {
    rule: 'the medicine is a Medication entry, not a CodeableConcept',
    document: rdm,
    change: set(D('medicationCodeableConcept'), { text: 'Losartana' }),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(D('medicationCodeableConcept'))]],
  },
  {
    rule: 'MedicationDispense.subject is required',
    document: rdm,
    change: remove(D('subject')),
    errors: [['NEXO_ERR_VALIDATION_REQUIRED', at(D('subject'))]],
  },
  {
    rule: 'MedicationDispense.performer is required',
    document: rdm,
    change: remove(D('performer')),
    errors: [['NEXO_ERR_VALIDATION_REQUIRED', at(D('performer'))]],
  },
  {
    rule: 'a performer establishment has a 7-digit CNES',
    document: rdm,
    change: set(D('performer[0].actor.identifier.value'), '123'),
    errors: [['NEXO_ERR_VALIDATION_IDENTIFIER', at(D('performer[0].actor.identifier.value'))]],
  },
  {
    rule: 'a performer professional has a valid CNS',
    document: rdm,
    change: set(D('performer[1].actor.identifier.value'), '146089735210008'),
    errors: [['NEXO_ERR_VALIDATION_IDENTIFIER', at(D('performer[1].actor.identifier.value'))]],
  },
  {
    rule: 'a performer is an establishment or a professional',
    document: rdm,
    change: set(D('performer[1].actor.identifier.system'), 'https://saude.gov.br/sid/cpf'),
    errors: [['NEXO_ERR_VALIDATION_IDENTIFIER', at(D('performer[1].actor.identifier.system'))]],
  },
  {
    rule: 'MedicationDispense.quantity is required',
    document: rdm,
    change: remove(D('quantity')),
    errors: [['NEXO_ERR_VALIDATION_REQUIRED', at(D('quantity'))]],
  },
  {
    rule: 'MedicationDispense.quantity has a value',
    document: rdm,
    change: set(D('quantity'), { unit: 'comprimido' }),
    errors: [['NEXO_ERR_VALIDATION_REQUIRED', at(D('quantity.value'))]],
  },
  {
    rule: 'MedicationDispense.quantity.unit has at most 64 characters',
    document: rdm,
    change: set(D('quantity.unit'), 'comprimido'.repeat(7)),
    errors: [['NEXO_ERR_VALIDATION_TOO_LONG', at(D('quantity.unit'))]],
  },
  {
    rule: 'the dosage text has at most 1,000 characters',
    document: rdm,
    change: set(D('dosageInstruction'), [{ text: 'Tomar 1 comprimido de 8 em 8 horas. '.repeat(30) }]),
    errors: [['NEXO_ERR_VALIDATION_TOO_LONG', at(D('dosageInstruction[0].text'))]],
  },
  {
    rule: 'whenHandedOver is required',
    document: rdm,
    change: remove(D('whenHandedOver')),
    errors: [['NEXO_ERR_VALIDATION_REQUIRED', at(D('whenHandedOver'))]],
  },
  {
    rule: 'whenHandedOver is not in the future',
    document: rdm,
    change: set(D('whenHandedOver'), FUTURE),
    errors: [['NEXO_ERR_VALIDATION_DATE', at(D('whenHandedOver'))]],
  },
  {
    rule: 'whenHandedOver is not before 1900',
    document: rdm,
    change: set(D('whenHandedOver'), '0001-01-01'),
    errors: [['NEXO_ERR_VALIDATION_DATE', at(D('whenHandedOver'))]],
  },
  {
    rule: 'whenHandedOver has at least the day',
    document: rdm,
    change: set(D('whenHandedOver'), '2025'),
    errors: [['NEXO_ERR_VALIDATION_DATE', at(D('whenHandedOver'))]],
  },
  {
    rule: 'BRValorMedicamento is in BRL',
    document: rdmPriced,
    change: set(D('extension[1].extension[0].valueMoney.currency'), 'USD'),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(D('extension[1].extension[0].valueMoney.currency'))]],
  },
  {
    rule: 'Medication.code is required',
    document: rdm,
    change: remove(M('code')),
    errors: [['NEXO_ERR_VALIDATION_REQUIRED', at(M('code'))]],
  },
  {
    rule: 'Medication.code has exactly one coding',
    document: rdm,
    change: set(M('code.coding[1]'), { system: `${CS}BRObmEAN`, code: '7896241221853' }),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(M('code.coding'))]],
  },
  {
    rule: 'Medication.code is from a national medicine catalogue',
    document: rdm,
    change: set(M('code.coding[0].system'), 'http://www.nlm.nih.gov/research/umls/rxnorm'),
    errors: [['NEXO_ERR_VALIDATION_CODE', at(M('code.coding[0].system'))]],
  },
  {
    rule: 'a CATMAT code has the CATMAT shape',
    document: rdm,
    change: set(M('code.coding[0].code'), '267778'),
    errors: [['NEXO_ERR_VALIDATION_CODE', at(M('code.coding[0].code'))]],
  },
  {
    rule: 'a CATMAT code, kept as sent, has at most 64 characters',
    document: rdm,
    change: set(M('code.coding[0].code'), `BR0267778-${'1'.repeat(60)}`),
    errors: [['NEXO_ERR_VALIDATION_TOO_LONG', at(M('code.coding[0].code'))]],
  },
  {
    rule: 'the medicine display, kept as sent, has at most 1,000 characters',
    document: rdm,
    change: set(M('code.coding[0].display'), 'AMOXICILINA 500 MG CÁPSULA '.repeat(40)),
    errors: [['NEXO_ERR_VALIDATION_TOO_LONG', at(M('code.coding[0].display'))]],
  },
  {
    rule: 'an EAN code has the EAN shape',
    document: rdm,
    change: set(M('code.coding[0]'), { system: `${CS}BRObmEAN`, code: 'BR0267778' }),
    errors: [['NEXO_ERR_VALIDATION_CODE', at(M('code.coding[0].code'))]],
  },
  {
    rule: 'Medication.form is from BRUnidadeMedida',
    document: rdm,
    change: set(M('form.coding[0].code'), '99'),
    errors: [['NEXO_ERR_VALIDATION_CODE', at(M('form.coding[0].code'))]],
  },
  {
    rule: 'MedicationDispense.note has at most one item',
    document: rdm,
    change: set(D('note'), [{ text: 'Tomar após as refeições.' }, { text: 'Guardar na geladeira.' }]),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(D('note'))]],
  },
  {
    rule: 'MedicationDispense.receiver has at most one item',
    document: rdm,
    change: set(D('receiver'), [{ identifier: CITIZEN }, { identifier: CITIZEN }]),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(D('receiver'))]],
  },
  {
    rule: 'MedicationDispense.authorizingPrescription has at most one item',
    document: rdm,
    change: set(D('authorizingPrescription'), [
      { identifier: { system: 'http://www.saude.gov.br/fhir/r4/NamingSystem/BRRNDS-1030', value: '1' } },
      { identifier: { system: 'http://www.saude.gov.br/fhir/r4/NamingSystem/BRRNDS-1030', value: '2' } },
    ]),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(D('authorizingPrescription'))]],
  },
  ...forbiddenElementCases(rdm, ['Composition', 'MedicationDispense', 'Medication'], FORBIDDEN_BY_PROFILE),
];
