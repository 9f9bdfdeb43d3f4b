import { at, BASES, COMPOSITION, CS, FIRST, FUTURE, remove, SD, set, type RuleCase } from './case.ts';

const { ria, rel, rdm, riaLegacy, riaCampaign1, rel10 } = BASES;
const C = (path: string) => `${COMPOSITION}.${path}`;
const replaces = (id = 'abc123') => [
  { code: 'replaces', targetReference: { reference: `Composition/${id}` } },
];

export const COMPOSITION_CASES: RuleCase[] = [
  {
    rule: 'Composition.status is final on submission (EHR-ERR924)',
    document: ria,
    change: set(C('status'), 'preliminary'),
    errors: [['NEXO_ERR_STATUS_NOT_FINAL', at(C('status'))]],
  },
  {
    rule: 'entered-in-error only cancels, together with relatesTo (EHR-ERR924)',
    document: ria,
    change: set(C('status'), 'entered-in-error'),
    errors: [['NEXO_ERR_STATUS_NOT_FINAL', at(C('status'))]],
  },
  {
    rule: 'Composition.status is required',
    document: ria,
    change: remove(C('status')),
    errors: [['NEXO_ERR_VALIDATION_REQUIRED', at(C('status'))]],
  },
  {
    rule: 'Composition.type code is from BRTipoDocumento',
    document: ria,
    change: set(C('type.coding[0].code'), 'XYZ'),
    errors: [['NEXO_ERR_VALIDATION_CODE', at(C('type.coding[0].code'))]],
  },
  {
    rule: 'Composition.type system is BRTipoDocumento',
    document: ria,
    change: set(C('type.coding[0].system'), 'http://loinc.org'),
    errors: [['NEXO_ERR_VALIDATION_CODE', at(C('type.coding[0].system'))]],
  },
  {
    rule: 'Composition.type matches the model (RIA profile, REL type)',
    document: ria,
    change: set(C('type.coding[0].code'), 'REL'),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(C('type.coding[0].code'))]],
  },
  {
    rule: 'the type matches the section content (an Observation in an RIA document)',
    document: ria,
    change: set(`${FIRST}.resourceType`, 'Observation'),
    errors: [
      ['NEXO_ERR_VALIDATION_PROFILE', at(`${FIRST}.resourceType`)],
      ['NEXO_ERR_VALIDATION_REFERENCE', at(C('section[0].entry[0].reference'))],
      // Practitioner/<CNS> points outside the document only in an Immunization.
      ['NEXO_ERR_VALIDATION_REFERENCE', at(`${FIRST}.performer[0].actor.reference`)],
    ],
  },
  {
    rule: 'Composition.type has exactly one coding',
    document: ria,
    change: set(C('type.coding[1]'), { system: `${CS}BRTipoDocumento`, code: 'RIA' }),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(C('type.coding'))]],
  },
  {
    rule: 'RIA-R title is fixed',
    document: ria,
    change: set(C('title'), 'Vacina'),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(C('title'))]],
  },
  {
    rule: 'RIA-C title is fixed',
    document: riaCampaign1,
    change: set(C('title'), 'Registro de Imunobiologico Administrado na Rotina'),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(C('title'))]],
  },
  {
    rule: 'REL title is fixed',
    document: rel,
    change: set(C('title'), 'Resultado'),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(C('title'))]],
  },
  {
    rule: 'RDM title is free text but required',
    document: rdm,
    change: remove(C('title')),
    errors: [['NEXO_ERR_VALIDATION_REQUIRED', at(C('title'))]],
  },
  {
    rule: 'RIA-R Composition.category is forbidden',
    document: ria,
    change: set(C('category'), [{ coding: [{ system: `${CS}BRModalidadeAssistencial`, code: '01' }] }]),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(C('category'))]],
  },
  {
    rule: 'REL Composition.category is forbidden',
    document: rel,
    change: set(C('category'), [{ text: 'lab' }]),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(C('category'))]],
  },
  {
    rule: 'RIA 1.0 Composition.category is required',
    document: riaLegacy,
    change: remove(C('category')),
    errors: [['NEXO_ERR_VALIDATION_REQUIRED', at(C('category'))]],
  },
  {
    rule: 'RIA 1.0 Composition.category is from BRModalidadeAssistencial',
    document: riaLegacy,
    change: set(C('category[0].coding[0].code'), '99'),
    errors: [['NEXO_ERR_VALIDATION_CODE', at(C('category[0].coding[0].code'))]],
  },
  {
    rule: 'the author is an establishment (CNES system)',
    document: ria,
    change: set(C('author[0].identifier.system'), 'http://example.org/cnes'),
    errors: [['NEXO_ERR_VALIDATION_IDENTIFIER', at(C('author[0].identifier.system'))]],
  },
  {
    rule: 'the author CNES has 7 digits',
    document: ria,
    change: set(C('author[0].identifier.value'), '999001'),
    errors: [['NEXO_ERR_VALIDATION_IDENTIFIER', at(C('author[0].identifier.value'))]],
  },
  {
    rule: 'Composition.author has exactly one item',
    document: ria,
    change: set(C('author[1]'), {
      identifier: { system: `${SD}BREstabelecimentoSaude-1.0`, value: '9990012' },
    }),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(C('author'))]],
  },
  {
    rule: 'the author is named by identifier, not by reference',
    document: ria,
    change: set(C('author[0]'), { reference: 'Organization/9990011' }),
    errors: [
      ['NEXO_ERR_VALIDATION_REQUIRED', at(C('author[0].identifier'))],
      ['NEXO_ERR_VALIDATION_STRUCTURE', at(C('author[0].reference'))],
    ],
  },
  {
    rule: 'an REL author under BRPessoaJuridicaProfissionalLiberal has a valid CNPJ',
    document: rel,
    change: set(C('author[0].identifier'), {
      system: `${SD}BRPessoaJuridicaProfissionalLiberal-1.0`,
      value: '11222333000182',
    }),
    errors: [['NEXO_ERR_VALIDATION_IDENTIFIER', at(C('author[0].identifier.value'))]],
  },
  {
    rule: 'an REL author under BRPessoaJuridicaProfissionalLiberal is a CNPJ or a CNS',
    document: rel,
    change: set(C('author[0].identifier'), {
      system: `${SD}BRPessoaJuridicaProfissionalLiberal-1.0`,
      value: '9990022',
    }),
    errors: [['NEXO_ERR_VALIDATION_IDENTIFIER', at(C('author[0].identifier.value'))]],
  },
  {
    rule: 'Composition.date is required',
    document: ria,
    change: remove(C('date')),
    errors: [['NEXO_ERR_VALIDATION_REQUIRED', at(C('date'))]],
  },
  {
    rule: 'Composition.date is not in the future',
    document: ria,
    change: set(C('date'), FUTURE),
    errors: [['NEXO_ERR_VALIDATION_DATE', at(C('date'))]],
  },
  {
    rule: 'Composition.date is not before 1900',
    document: ria,
    change: set(C('date'), '1899-12-31'),
    errors: [['NEXO_ERR_VALIDATION_DATE', at(C('date'))]],
  },
  {
    rule: 'Composition.date has a time-zone offset',
    document: ria,
    change: set(C('date'), '2025-03-10T09:42:00'),
    errors: [['NEXO_ERR_VALIDATION_DATE', at(C('date'))]],
  },
  {
    rule: 'Composition.date has seconds',
    document: ria,
    change: set(C('date'), '2025-03-10T09:42-03:00'),
    errors: [['NEXO_ERR_VALIDATION_DATE', at(C('date'))]],
  },
  {
    rule: 'Composition.section has exactly one item',
    document: ria,
    change: set(C('section[1]'), { entry: [{ reference: 'urn:uuid:transient-1' }] }),
    errors: [
      ['NEXO_ERR_VALIDATION_PROFILE', at(C('section'))],
      ['NEXO_ERR_VALIDATION_REFERENCE', at(C('section[1].entry[0].reference'))],
    ],
  },
  {
    rule: 'an RIA section references exactly one Immunization',
    document: ria,
    change: set(C('section[0].entry[1]'), { reference: 'urn:uuid:transient-1' }),
    errors: [
      ['NEXO_ERR_VALIDATION_PROFILE', at(C('section[0].entry'))],
      ['NEXO_ERR_VALIDATION_REFERENCE', at(C('section[0].entry[1].reference'))],
    ],
  },
  {
    rule: 'the section has entries',
    document: ria,
    change: set(C('section[0].entry'), []),
    errors: [
      ['NEXO_ERR_VALIDATION_REQUIRED', at(C('section[0].entry'))],
      ['NEXO_ERR_VALIDATION_REFERENCE', 'Bundle.entry[1]'],
    ],
  },
  {
    rule: 'Composition.relatesTo has at most one item',
    document: ria,
    change: set(C('relatesTo'), [...replaces('a'), ...replaces('b')]),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(C('relatesTo'))]],
  },
  {
    rule: 'Composition.relatesTo.code is replaces',
    document: ria,
    change: set(C('relatesTo'), [{ code: 'appends', targetReference: { reference: 'Composition/abc123' } }]),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(C('relatesTo[0].code'))]],
  },
  {
    rule: 'Composition.relatesTo targets Composition/<id>',
    document: ria,
    change: set(C('relatesTo'), [{ code: 'replaces', targetReference: { reference: 'Bundle/abc123' } }]),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(C('relatesTo[0].targetReference.reference'))]],
  },
  {
    rule: 'Composition.relatesTo names its target by reference, not identifier',
    document: ria,
    change: set(C('relatesTo'), [{ code: 'replaces', targetIdentifier: { value: 'x' } }]),
    errors: [
      ['NEXO_ERR_VALIDATION_PROFILE', at(C('relatesTo[0].targetIdentifier'))],
      ['NEXO_ERR_VALIDATION_REQUIRED', at(C('relatesTo[0].targetReference'))],
    ],
  },
  {
    rule: 'REL 1.0 has no relatesTo',
    document: rel10,
    change: set(C('relatesTo'), replaces()),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(C('relatesTo'))]],
  },
];
