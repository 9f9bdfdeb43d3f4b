import {
  at,
  BASES,
  both,
  COMPOSITION,
  CS,
  FIRST,
  forbiddenElementCases,
  FUTURE,
  remove,
  SECOND,
  set,
  type ForbiddenElement,
  type RuleCase,
} from './case.ts';

const { rel, relQuantity } = BASES;
const O = (path: string) => `${FIRST}.${path}`;
const S = (path: string) => `${SECOND}.${path}`;
const RESULT = `${CS}BRResultadoQualitativoExame`;
const C = (path: string) => `${COMPOSITION}.${path}`;

/**
 * Elements the national REL profiles set to max 0 (BRResultadoExameLaboratorial,
 * BRDiagnosticoLaboratorioClinico-1.0, BRAmostraBiologica-1.0), each with a value FHIR R4 allows
 * there. The hub reads none of them, so accepting one would drop what the laboratory sent.
 * References are by identifier or display, so that only the profile, not reference resolution, speaks.
 */
const FORBIDDEN_BY_PROFILE: readonly ForbiddenElement[] = [
  [C('identifier'), { system: 'http://lab.example/laudos', value: 'L-1' }],
  [C('encounter'), { identifier: { system: 'http://lab.example/atendimentos', value: 'AT-1' } }],
  [C('confidentiality'), 'N'],
  [C('attester'), [{ mode: 'legal' }]],
  [C('custodian'), { identifier: { system: 'https://saude.gov.br/sid/cnes', value: '9990022' } }],
  [C('event'), [{ code: [{ text: 'coleta' }] }]],
  [O('identifier'), [{ system: 'http://lab.example/exames', value: 'E-1' }]],
  [O('basedOn'), [{ identifier: { system: 'http://lab.example/pedidos', value: 'P-1' } }]],
  [O('partOf'), [{ identifier: { system: 'http://lab.example/procedimentos', value: 'PR-1' } }]],
  [O('focus'), [{ display: 'paciente' }]],
  [O('encounter'), { identifier: { system: 'http://lab.example/atendimentos', value: 'AT-1' } }],
  [O('bodySite'), { text: 'nasofaringe' }],
  [O('device'), { display: 'termociclador' }],
  [O('hasMember'), [{ display: 'gene N' }]],
  [O('derivedFrom'), [{ display: 'triagem' }]],
  [O('component'), [{ code: { text: 'gene N' }, valueString: 'detectável' }]],
  [O('method.coding'), [{ system: 'http://lab.example/metodos', code: 'pcr' }]],
  [O('referenceRange[0].low'), { value: 10, unit: 'U/mL' }],
  [O('referenceRange[0].high'), { value: 100, unit: 'U/mL' }],
  [O('referenceRange[0].type'), { text: 'normal' }],
  [O('referenceRange[0].appliesTo'), [{ text: 'adultos' }]],
  [O('referenceRange[0].age'), { low: { value: 18 } }],
  [O('note'), [{ text: 'amostra adequada', time: '2025-02-11' }], O('note[0].time')],
  [O('specimen.display'), 'swab nasofaríngeo'],
  [S('identifier'), [{ system: 'http://lab.example/amostras', value: 'A-1' }]],
  [S('accessionIdentifier'), { system: 'http://lab.example/amostras', value: 'A-1' }],
  [S('status'), 'available'],
  [S('receivedTime'), '2025-02-10T10:00:00-03:00'],
  [S('parent'), [{ identifier: { system: 'http://lab.example/amostras', value: 'A-0' } }]],
  [S('request'), [{ identifier: { system: 'http://lab.example/pedidos', value: 'P-1' } }]],
  [S('processing'), [{ description: 'centrifugação' }]],
  [S('container'), [{ description: 'tubo' }]],
  [S('condition'), [{ text: 'refrigerada' }]],
  [S('note'), [{ text: 'amostra adequada' }]],
];

export const REL_CASES: RuleCase[] = [
  {
    rule: 'Observation.status is final',
    document: rel,
    change: set(O('status'), 'preliminary'),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(O('status'))]],
  },
  {
    rule: 'Observation.category has exactly one item',
    document: rel,
    change: set(O('category[1]'), { coding: [{ system: `${CS}BRSubgrupoTabelaSUS`, code: '0214' }] }),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(O('category'))]],
  },
  {
    rule: 'Observation.category is from BRSubgrupoTabelaSUS',
    document: rel,
    change: set(O('category[0].coding[0].code'), '0299'),
    errors: [['NEXO_ERR_VALIDATION_CODE', at(O('category[0].coding[0].code'))]],
  },
  {
    rule: 'Observation.category is required',
    document: rel,
    change: remove(O('category')),
    errors: [['NEXO_ERR_VALIDATION_REQUIRED', at(O('category'))]],
  },
  {
    rule: 'Observation.code is from BRNomeExameLOINC or BRNomeExameGAL (system)',
    document: rel,
    change: set(O('code.coding[0].system'), 'http://loinc.org'),
    errors: [['NEXO_ERR_VALIDATION_CODE', at(O('code.coding[0].system'))]],
  },
  {
    rule: 'Observation.code is from BRNomeExameLOINC (code)',
    document: rel,
    change: set(O('code.coding[0].code'), '12345-6'),
    errors: [['NEXO_ERR_VALIDATION_CODE', at(O('code.coding[0].code'))]],
  },
  {
    rule: 'Observation.code has exactly one coding',
    document: rel,
    change: set(O('code.coding[1]'), { system: `${CS}BRNomeExameGAL`, code: 'COVID' }),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(O('code.coding'))]],
  },
  {
    rule: 'Observation.subject is required',
    document: rel,
    change: remove(O('subject')),
    errors: [['NEXO_ERR_VALIDATION_REQUIRED', at(O('subject'))]],
  },
  {
    rule: 'Observation.issued is required',
    document: rel,
    change: remove(O('issued')),
    errors: [['NEXO_ERR_VALIDATION_REQUIRED', at(O('issued'))]],
  },
  {
    rule: 'Observation.issued is an instant',
    document: rel,
    change: set(O('issued'), '2025-02-11'),
    errors: [['NEXO_ERR_VALIDATION_DATE', at(O('issued'))]],
  },
  {
    rule: 'Observation.issued is not in the future',
    document: rel,
    change: set(O('issued'), FUTURE),
    errors: [['NEXO_ERR_VALIDATION_DATE', at(O('issued'))]],
  },
  {
    rule: 'Observation.issued is not before 1900',
    document: rel,
    change: set(O('issued'), '1899-06-01T10:00:00-03:00'),
    errors: [['NEXO_ERR_VALIDATION_DATE', at(O('issued'))]],
  },
  {
    rule: 'Observation.performer is required',
    document: rel,
    change: remove(O('performer')),
    errors: [['NEXO_ERR_VALIDATION_REQUIRED', at(O('performer'))]],
  },
  {
    rule: 'Observation.performer has exactly one item',
    document: rel,
    change: (bundle) =>
      set(O('performer[1]'), { identifier: { system: 'https://saude.gov.br/sid/cnes', value: '9990022' } })(
        bundle,
      ),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(O('performer'))]],
  },
  {
    rule: 'Observation.performer is named by identifier',
    document: rel,
    change: set(O('performer[0]'), { reference: 'Organization/1' }),
    errors: [
      ['NEXO_ERR_VALIDATION_REQUIRED', at(O('performer[0].identifier'))],
      ['NEXO_ERR_VALIDATION_STRUCTURE', at(O('performer[0].reference'))],
    ],
  },
  {
    rule: 'Observation.value[x] is required',
    document: rel,
    change: remove(O('valueCodeableConcept')),
    errors: [['NEXO_ERR_VALIDATION_REQUIRED', at(O('value'))]],
  },
  {
    rule: 'Observation.value[x] is a CodeableConcept or a Quantity',
    document: rel,
    change: both(remove(O('valueCodeableConcept')), set(O('valueString'), 'Não detectável')),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(O('valueString'))]],
  },
  {
    rule: 'valueCodeableConcept comes without interpretation',
    document: rel,
    change: set(O('interpretation'), [{ coding: [{ system: RESULT, code: '2' }] }]),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(O('interpretation'))]],
  },
  {
    rule: 'valueCodeableConcept is from BRResultadoQualitativoExame',
    document: rel,
    change: set(O('valueCodeableConcept.coding[0].code'), '4'),
    errors: [['NEXO_ERR_VALIDATION_CODE', at(O('valueCodeableConcept.coding[0].code'))]],
  },
  {
    rule: 'valueQuantity comes with interpretation',
    document: relQuantity,
    change: remove(O('interpretation')),
    errors: [['NEXO_ERR_VALIDATION_REQUIRED', at(O('interpretation'))]],
  },
  {
    rule: 'interpretation is from BRResultadoQualitativoExame',
    document: relQuantity,
    change: set(O('interpretation[0].coding[0].code'), 'POS'),
    errors: [['NEXO_ERR_VALIDATION_CODE', at(O('interpretation[0].coding[0].code'))]],
  },
  {
    rule: 'valueQuantity.value is a number',
    document: relQuantity,
    change: set(O('valueQuantity.value'), '12,5'),
    errors: [['NEXO_ERR_VALIDATION_STRUCTURE', at(O('valueQuantity.value'))]],
  },
  {
    rule: 'valueQuantity.unit is required',
    document: relQuantity,
    change: remove(O('valueQuantity.unit')),
    errors: [['NEXO_ERR_VALIDATION_REQUIRED', at(O('valueQuantity.unit'))]],
  },
  {
    rule: 'valueQuantity.unit has at most 64 characters',
    document: relQuantity,
    change: set(O('valueQuantity.unit'), 'U/mL'.repeat(17)),
    errors: [['NEXO_ERR_VALIDATION_TOO_LONG', at(O('valueQuantity.unit'))]],
  },
  {
    rule: 'valueQuantity.code (UCUM) has at most 64 characters',
    document: relQuantity,
    change: set(O('valueQuantity.code'), 'U/mL'.repeat(17)),
    errors: [['NEXO_ERR_VALIDATION_TOO_LONG', at(O('valueQuantity.code'))]],
  },
  {
    rule: 'only one value[x]',
    document: relQuantity,
    change: set(O('valueCodeableConcept'), { coding: [{ system: RESULT, code: '1' }] }),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(O('valueQuantity'))]],
  },
  {
    rule: 'dataAbsentReason is not used (the value is required)',
    document: rel,
    change: set(O('dataAbsentReason'), { text: 'n/a' }),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(O('dataAbsentReason'))]],
  },
  {
    rule: 'method.text is required',
    document: rel,
    change: set(O('method'), { id: 'method-1' }),
    errors: [['NEXO_ERR_VALIDATION_REQUIRED', at(O('method.text'))]],
  },
  {
    rule: 'method.text is not only white space',
    document: rel,
    change: set(O('method.text'), ' \n '),
    errors: [['NEXO_ERR_VALIDATION_REQUIRED', at(O('method.text'))]],
  },
  {
    rule: 'method.text has at most 1,000 characters',
    document: rel,
    change: set(O('method.text'), 'm'.repeat(1_001)),
    errors: [['NEXO_ERR_VALIDATION_TOO_LONG', at(O('method.text'))]],
  },
  {
    rule: 'referenceRange has exactly one item',
    document: rel,
    change: set(O('referenceRange[1]'), { text: 'Detectável' }),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(O('referenceRange'))]],
  },
  {
    rule: 'referenceRange has text',
    document: rel,
    change: set(O('referenceRange[0]'), { id: 'range-1' }),
    errors: [['NEXO_ERR_VALIDATION_REQUIRED', at(O('referenceRange[0].text'))]],
  },
  {
    rule: 'referenceRange text has at most 1,000 characters',
    document: rel,
    change: set(O('referenceRange[0].text'), 'Não detectável. '.repeat(100)),
    errors: [['NEXO_ERR_VALIDATION_TOO_LONG', at(O('referenceRange[0].text'))]],
  },
  {
    rule: 'Observation.specimen is required',
    document: rel,
    change: remove(O('specimen')),
    errors: [
      ['NEXO_ERR_VALIDATION_REQUIRED', at(O('specimen'))],
      ['NEXO_ERR_VALIDATION_REFERENCE', 'Bundle.entry[2]'],
    ],
  },
  {
    rule: 'Specimen.type is required',
    document: rel,
    change: remove(S('type')),
    errors: [['NEXO_ERR_VALIDATION_REQUIRED', at(S('type'))]],
  },
  {
    rule: 'Specimen.type has exactly one coding',
    document: rel,
    change: set(S('type.coding[1]'), { system: `${CS}BRTipoAmostraGAL`, code: 'SNOF' }),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(S('type.coding'))]],
  },
  {
    rule: 'Specimen.type is from v2-0487 or BRTipoAmostraGAL (system)',
    document: rel,
    change: set(S('type.coding[0].system'), 'http://snomed.info/sct'),
    errors: [['NEXO_ERR_VALIDATION_CODE', at(S('type.coding[0].system'))]],
  },
  {
    rule: 'Specimen.type is from BRTipoAmostraGAL (code)',
    document: rel,
    change: set(S('type.coding[0].code'), 'SWABX'),
    errors: [['NEXO_ERR_VALIDATION_CODE', at(S('type.coding[0].code'))]],
  },
  {
    rule: 'Specimen.type has the v2-0487 shape',
    document: relQuantity,
    change: set(S('type.coding[0].code'), 'serum'),
    errors: [['NEXO_ERR_VALIDATION_CODE', at(S('type.coding[0].code'))]],
  },
  {
    rule: 'Specimen collection date is not in the future',
    document: relQuantity,
    change: set(S('collection.collectedDateTime'), FUTURE),
    errors: [['NEXO_ERR_VALIDATION_DATE', at(S('collection.collectedDateTime'))]],
  },
  {
    rule: 'Specimen collection date is not before 1900',
    document: relQuantity,
    change: set(S('collection.collectedDateTime'), '1850-02-10'),
    errors: [['NEXO_ERR_VALIDATION_DATE', at(S('collection.collectedDateTime'))]],
  },
  {
    rule: 'a v2-0487 Specimen.type display, which the hub keeps, has at most 1,000 characters',
    document: relQuantity,
    change: set(S('type.coding[0].display'), 'Soro '.repeat(201)),
    errors: [['NEXO_ERR_VALIDATION_TOO_LONG', at(S('type.coding[0].display'))]],
  },
  ...forbiddenElementCases(rel, ['Composition', 'Observation', 'Specimen'], FORBIDDEN_BY_PROFILE),
];
