import { at, BASES, both, CS, FIRST, FUTURE, remove, SD, SECOND, set, type RuleCase } from './case.ts';

const { rel, relQuantity } = BASES;
const O = (path: string) => `${FIRST}.${path}`;
const S = (path: string) => `${SECOND}.${path}`;
const RESULT = `${CS}BRResultadoQualitativoExame`;

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
    rule: 'a performer under an establishment system has a 7-digit CNES',
    document: rel,
    change: set(O('performer[0].identifier'), { system: 'https://saude.gov.br/sid/cnes', value: '999002' }),
    errors: [['NEXO_ERR_VALIDATION_IDENTIFIER', at(O('performer[0].identifier.value'))]],
  },
  {
    rule: 'a performer under BREstabelecimentoSaude-1.0 is a CNES, not a CNPJ',
    document: rel,
    change: set(O('performer[0].identifier'), {
      system: `${SD}BREstabelecimentoSaude-1.0`,
      value: '11222333000181',
    }),
    errors: [['NEXO_ERR_VALIDATION_IDENTIFIER', at(O('performer[0].identifier.value'))]],
  },
  {
    rule: 'a performer under BRPessoaJuridicaProfissionalLiberal has a CNPJ with valid check digits',
    document: rel,
    change: set(O('performer[0].identifier.value'), '11222333000182'),
    errors: [['NEXO_ERR_VALIDATION_IDENTIFIER', at(O('performer[0].identifier.value'))]],
  },
  {
    rule: 'a performer under BRPessoaJuridicaProfissionalLiberal has a valid CNS',
    document: rel,
    change: set(O('performer[0].identifier.value'), '146089735210008'),
    errors: [['NEXO_ERR_VALIDATION_IDENTIFIER', at(O('performer[0].identifier.value'))]],
  },
  {
    rule: 'a performer number has no punctuation',
    document: rel,
    change: set(O('performer[0].identifier.value'), '11.222.333/0001-81'),
    errors: [['NEXO_ERR_VALIDATION_IDENTIFIER', at(O('performer[0].identifier.value'))]],
  },
  {
    rule: 'a performer is named under an establishment system or BRPessoaJuridicaProfissionalLiberal',
    document: rel,
    change: set(O('performer[0].identifier.system'), 'https://saude.gov.br/sid/cpf'),
    errors: [['NEXO_ERR_VALIDATION_IDENTIFIER', at(O('performer[0].identifier.system'))]],
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
    change: set(O('method'), { coding: [{ system: 'http://example.org', code: 'pcr' }] }),
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
    change: set(O('referenceRange[0]'), { low: { value: 1 } }),
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
];
