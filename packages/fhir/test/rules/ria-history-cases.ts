import {
  at,
  BASES,
  both,
  COMPOSITION,
  CS,
  FIRST,
  forbiddenElementCases,
  remove,
  SD,
  set,
  type ForbiddenElement,
  type RuleCase,
} from './case.ts';

const { riaLegacy, riaCampaign1, riaCampaign2 } = BASES;
const C = (path: string) => `${COMPOSITION}.${path}`;
const I = (path: string) => `${FIRST}.${path}`;
const ext = (name: string) => `${at(FIRST)}.extension('${SD}${name}')`;
const coded = (system: string, code: string) => ({ coding: [{ system: `${CS}${system}`, code }] });
const HANSENIASE = { url: `${SD}BRContatoHanseniase`, valueBoolean: false };

/**
 * What the earlier national guide's Immunization 1.0 and Immunization Campanha 1.0 both leave out
 * (max 0). Campaign 1.0 also leaves out expirationDate; reasonReference has its own case, as a
 * reference in it is reported too.
 */
const FORBIDDEN_IN_IMMUNIZATION_1_0: readonly ForbiddenElement[] = [
  [I('identifier'), [{ system: 'urn:ietf:rfc:3986', value: 'urn:uuid:1' }]],
  [I('statusReason'), coded('BRImunobiologico', '77')],
  [I('encounter'), { reference: 'Encounter/1' }],
  [I('recorded'), '2025-03-10'],
  [I('primarySource'), true],
  [I('reportOrigin'), coded('BRRegistroOrigem', '01')],
  [I('location'), { identifier: { system: `${CS}BRPais`, value: '21' } }],
  [I('doseQuantity'), { value: 0.5, unit: 'mL' }],
  [I('note'), [{ text: 'sem intercorrências' }]],
  [I('reasonCode'), [coded('BRCID10', 'J45')]],
  [I('isSubpotent'), false],
  [I('subpotentReason'), [coded('BRCID10', 'J45')]],
  [I('education'), [{ documentType: 'VIS' }]],
  [I('programEligibility'), [coded('BRGrupoAtendimento', '000201')]],
  [I('fundingSource'), coded('BRModalidadeFinanceira', '01')],
  [I('reaction'), [{ reported: true }]],
  [I('vaccineCode.coding[0].display'), 'INF4'],
  [I('vaccineCode.text'), 'Influenza'],
  [I('performer[0].function.coding[0].userSelected'), true],
  [I('performer[0].function.text'), 'Enfermeiro'],
  [I('protocolApplied[0].series'), 'Influenza 2025'],
  [I('protocolApplied[0].targetDisease'), [coded('BRCID10', 'J11')]],
  [I('protocolApplied[0].seriesDosesPositiveInt'), 1],
];

/** What the earlier national guide's Compositions 1.0 and Campanha 1.0 both leave out (max 0). */
const FORBIDDEN_IN_COMPOSITION_1_0: readonly ForbiddenElement[] = [
  [C('identifier'), { system: 'urn:ietf:rfc:3986', value: 'urn:uuid:1' }],
  [C('encounter'), { reference: 'Encounter/1' }],
  [C('confidentiality'), 'N'],
  [C('attester'), [{ mode: 'legal' }]],
  [C('custodian'), { reference: 'Organization/1' }],
  [C('event'), [{ period: { start: '2025-03-10' } }]],
  [C('type.text'), 'RIA'],
  [C('section[0].title'), 'Vacina'],
  [C('section[0].code'), coded('BRTipoDocumento', 'RIA')],
  [C('section[0].entry[0].display'), 'Influenza'],
];

/** The legacy RIA 1.0 and the discontinued campaign models (RIA-C 1.0 and 2.0). */
export const RIA_HISTORY_CASES: RuleCase[] = [
  {
    rule: 'RIA 1.0 performer.function is required',
    document: riaLegacy,
    change: remove(I('performer[0].function')),
    errors: [['NEXO_ERR_VALIDATION_REQUIRED', at(I('performer[0].function'))]],
  },
  {
    rule: 'RIA 1.0 BRGrupoAtendimento, optional there, is still a code of its code system when sent',
    document: riaLegacy,
    change: set(I('extension[0]'), {
      url: `${SD}BRGrupoAtendimento`,
      valueCodeableConcept: coded('BRGrupoAtendimento', '123456'),
    }),
    errors: [['NEXO_ERR_VALIDATION_CODE', at(I('extension[0].valueCodeableConcept.coding[0].code'))]],
  },
  {
    rule: 'RIA 1.0 BRCondicaoMaternal appears once at most',
    document: riaLegacy,
    change: set(I('extension[2]'), {
      url: `${SD}BRCondicaoMaternal`,
      valueCodeableConcept: coded('BRCondicaoMaternal', '2'),
    }),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', ext('BRCondicaoMaternal')]],
  },
  {
    rule: 'RIA 1.0 names the manufacturer once: by identifier or by reference, not both',
    document: riaLegacy,
    change: set(I('manufacturer.reference'), 'Organization/33781055000135'),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(I('manufacturer.reference'))]],
  },
  {
    rule: 'RIA 1.0 manufacturer needs a reference or an identifier (a display alone names nothing)',
    document: riaLegacy,
    change: set(I('manufacturer'), { display: 'FIOCRUZ' }),
    errors: [['NEXO_ERR_VALIDATION_REQUIRED', at(I('manufacturer.reference'))]],
  },
  {
    rule: 'RIA 1.0 manufacturer by reference is an Organization',
    document: riaLegacy,
    change: set(I('manufacturer'), { reference: 'Practitioner/203212962400006', display: 'FIOCRUZ' }),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(I('manufacturer.reference'))]],
  },
  {
    rule: 'RIA-C 1.0 site is forbidden',
    document: riaCampaign1,
    change: set(I('site'), coded('BRLocalAplicacao', '1')),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(I('site'))]],
  },
  {
    rule: 'RIA-C 1.0 route is forbidden',
    document: riaCampaign1,
    change: set(I('route'), coded('BRViaAdministracao', '10890')),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(I('route'))]],
  },
  {
    rule: 'RIA-C 1.0 manufacturer is required',
    document: riaCampaign1,
    change: remove(I('manufacturer')),
    errors: [['NEXO_ERR_VALIDATION_REQUIRED', at(I('manufacturer'))]],
  },
  {
    rule: 'RIA-C 1.0 manufacturer has a display',
    document: riaCampaign1,
    change: remove(I('manufacturer.display')),
    errors: [['NEXO_ERR_VALIDATION_REQUIRED', at(I('manufacturer.display'))]],
  },
  {
    rule: 'RIA-C 1.0 manufacturer.display has at most 1,000 characters (it is the name the card shows)',
    document: riaCampaign1,
    change: set(I('manufacturer.display'), 'Fabricante '.repeat(100)),
    errors: [['NEXO_ERR_VALIDATION_TOO_LONG', at(I('manufacturer.display'))]],
  },
  {
    rule: 'RIA-C 1.0 lotNumber is required',
    document: riaCampaign1,
    change: remove(I('lotNumber')),
    errors: [['NEXO_ERR_VALIDATION_REQUIRED', at(I('lotNumber'))]],
  },
  {
    rule: 'RIA-C 1.0 performer.function is required',
    document: riaCampaign1,
    change: remove(I('performer[0].function')),
    errors: [['NEXO_ERR_VALIDATION_REQUIRED', at(I('performer[0].function'))]],
  },
  ...forbiddenElementCases(
    riaLegacy,
    ['RIA 1.0 Composition', 'RIA 1.0 Immunization'],
    [
      ...FORBIDDEN_IN_IMMUNIZATION_1_0,
      ...FORBIDDEN_IN_COMPOSITION_1_0,
      [I('site.coding[0].display'), 'Deltoide esquerdo'],
      [I('route.text'), 'intramuscular'],
      [C('type.coding[0].display'), 'Registro de Imunobiológico Administrado'],
      [C('category[0].coding[0].display'), 'Atenção Básica'],
      [C('category[0].text'), 'Atenção Básica'],
    ],
  ),
  {
    rule: 'RIA 1.0 lotNumber is required (the earlier guide has no transcription)',
    document: riaLegacy,
    change: remove(I('lotNumber')),
    errors: [['NEXO_ERR_VALIDATION_REQUIRED', at(I('lotNumber'))]],
  },
  {
    rule: 'RIA 1.0 manufacturer has no type',
    document: riaLegacy,
    change: set(I('manufacturer.type'), 'Organization'),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(I('manufacturer.type'))]],
  },
  ...forbiddenElementCases(
    riaCampaign1,
    ['RIA-C 1.0 Composition', 'RIA-C 1.0 Immunization'],
    [...FORBIDDEN_IN_IMMUNIZATION_1_0, ...FORBIDDEN_IN_COMPOSITION_1_0, [I('expirationDate'), '2026-01-31']],
  ),
  {
    rule: 'RIA-C 1.0 manufacturer is a reference and display only (no identifier or type)',
    document: riaCampaign1,
    change: both(
      set(I('manufacturer.identifier'), { system: `${CS}BRFabricantePNI`, value: '149' }),
      set(I('manufacturer.type'), 'Organization'),
    ),
    errors: [
      ['NEXO_ERR_VALIDATION_PROFILE', at(I('manufacturer.identifier'))],
      ['NEXO_ERR_VALIDATION_PROFILE', at(I('manufacturer.type'))],
    ],
  },
  {
    rule: 'RIA 1.0 and RIA-C 1.0 reasonReference is refused (and a reference in it that resolves nowhere, too)',
    document: riaCampaign1,
    change: set(I('reasonReference'), [{ reference: 'Condition/1' }]),
    errors: [
      ['NEXO_ERR_VALIDATION_PROFILE', at(I('reasonReference'))],
      ['NEXO_ERR_VALIDATION_REFERENCE', at(I('reasonReference[0].reference'))],
    ],
  },
  {
    rule: 'RIA-C 2.0 extensions are only BRGrupoAtendimento and BRCondicaoMaternal',
    document: riaCampaign2,
    change: set(I('extension[2]'), HANSENIASE),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(I('extension[2]'))]],
  },
  {
    rule: 'RIA-C 2.0 BRCondicaoMaternal is required',
    document: riaCampaign2,
    change: remove(I('extension[1]')),
    errors: [['NEXO_ERR_VALIDATION_REQUIRED', ext('BRCondicaoMaternal')]],
  },
  {
    rule: 'RIA-C 2.0 has no strategy extension',
    document: riaCampaign2,
    change: set(I('protocolApplied[0].extension'), [
      { url: `${SD}BREstrategiaVacinacao-1.0`, valueCodeableConcept: coded('BREstrategiaVacinacao', '5') },
    ]),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(I('protocolApplied[0].extension[0]'))]],
  },
  {
    rule: 'RIA-C 2.0 site is forbidden',
    document: riaCampaign2,
    change: set(I('site'), coded('BRLocalAplicacao', '1')),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(I('site'))]],
  },
  {
    rule: 'RIA-C 2.0 manufacturer is a BRFabricantePNI code',
    document: riaCampaign2,
    change: set(I('manufacturer.identifier.value'), '7'),
    errors: [['NEXO_ERR_VALIDATION_CODE', at(I('manufacturer.identifier.value'))]],
  },
  {
    rule: 'RIA-C 2.0 lotNumber is required',
    document: riaCampaign2,
    change: remove(I('lotNumber')),
    errors: [['NEXO_ERR_VALIDATION_REQUIRED', at(I('lotNumber'))]],
  },
  {
    rule: 'RIA-C 2.0 Immunization elements the profile forbids (max 0) are refused',
    document: riaCampaign2,
    change: both(
      set(I('identifier'), [{ system: 'urn:ietf:rfc:3986', value: 'urn:uuid:1' }]),
      set(I('statusReason'), coded('BRImunobiologico', '85')),
      set(I('recorded'), '2025-03-10'),
      set(I('expirationDate'), '2026-01-31'),
      set(I('doseQuantity'), { value: 0.5, unit: 'mL' }),
      set(I('note'), [{ text: 'sem intercorrências' }]),
      set(I('reasonCode'), [coded('BRCID10', 'J45')]),
      set(I('isSubpotent'), false),
      set(I('subpotentReason'), [coded('BRCID10', 'J45')]),
      set(I('education'), [{ documentType: 'VIS' }]),
      set(I('programEligibility'), [coded('BRGrupoAtendimento', '000201')]),
      set(I('fundingSource'), coded('BRModalidadeFinanceira', '01')),
      set(I('reaction'), [{ reported: true }]),
    ),
    errors: [
      ['NEXO_ERR_VALIDATION_PROFILE', at(I('identifier'))],
      ['NEXO_ERR_VALIDATION_PROFILE', at(I('statusReason'))],
      ['NEXO_ERR_VALIDATION_PROFILE', at(I('recorded'))],
      ['NEXO_ERR_VALIDATION_PROFILE', at(I('expirationDate'))],
      ['NEXO_ERR_VALIDATION_PROFILE', at(I('doseQuantity'))],
      ['NEXO_ERR_VALIDATION_PROFILE', at(I('note'))],
      ['NEXO_ERR_VALIDATION_PROFILE', at(I('reasonCode'))],
      ['NEXO_ERR_VALIDATION_PROFILE', at(I('isSubpotent'))],
      ['NEXO_ERR_VALIDATION_PROFILE', at(I('subpotentReason'))],
      ['NEXO_ERR_VALIDATION_PROFILE', at(I('education'))],
      ['NEXO_ERR_VALIDATION_PROFILE', at(I('programEligibility'))],
      ['NEXO_ERR_VALIDATION_PROFILE', at(I('fundingSource'))],
      ['NEXO_ERR_VALIDATION_PROFILE', at(I('reaction'))],
    ],
  },
  {
    rule: 'RIA-C 2.0 is no transcription: primarySource, reportOrigin and location are refused',
    document: riaCampaign2,
    change: both(
      set(I('primarySource'), false),
      set(I('reportOrigin'), coded('BRRegistroOrigem', '02')),
      set(I('location'), { identifier: { system: `${CS}BRPais`, value: '21' } }),
    ),
    errors: [
      ['NEXO_ERR_VALIDATION_PROFILE', at(I('primarySource'))],
      ['NEXO_ERR_VALIDATION_PROFILE', at(I('reportOrigin'))],
      ['NEXO_ERR_VALIDATION_PROFILE', at(I('location'))],
    ],
  },
  {
    rule: 'RIA-C 2.0 encounter is refused, once (its reference is not also reported)',
    document: riaCampaign2,
    change: set(I('encounter'), { reference: 'Encounter/1' }),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(I('encounter'))]],
  },
  {
    rule: 'RIA-C 2.0 reasonReference is refused (and a reference in it that resolves nowhere, too)',
    document: riaCampaign2,
    change: set(I('reasonReference'), [{ reference: 'Condition/1' }]),
    errors: [
      ['NEXO_ERR_VALIDATION_PROFILE', at(I('reasonReference'))],
      ['NEXO_ERR_VALIDATION_REFERENCE', at(I('reasonReference[0].reference'))],
    ],
  },
  {
    rule: 'RIA-C 2.0 performer.function is refused (max 0)',
    document: riaCampaign2,
    change: set(I('performer[0].function'), coded('BRCBO', '223505')),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(I('performer[0].function'))]],
  },
  {
    rule: 'RIA-C 2.0 vaccineCode is system and code only; manufacturer an identifier {system, value} only',
    document: riaCampaign2,
    change: both(
      set(I('vaccineCode.coding[0].display'), 'COVISHIELD'),
      set(I('vaccineCode.text'), 'COVID-19'),
      set(I('manufacturer.display'), 'FIOCRUZ'),
      set(I('manufacturer.identifier.use'), 'official'),
    ),
    errors: [
      ['NEXO_ERR_VALIDATION_PROFILE', at(I('vaccineCode.coding[0].display'))],
      ['NEXO_ERR_VALIDATION_PROFILE', at(I('vaccineCode.text'))],
      ['NEXO_ERR_VALIDATION_PROFILE', at(I('manufacturer.display'))],
      ['NEXO_ERR_VALIDATION_PROFILE', at(I('manufacturer.identifier.use'))],
    ],
  },
  {
    rule: 'RIA-C 2.0 protocolApplied has no series, target disease or series doses',
    document: riaCampaign2,
    change: both(
      set(I('protocolApplied[0].series'), 'COVID-19'),
      set(I('protocolApplied[0].targetDisease'), [coded('BRCID10', 'U07.1')]),
      set(I('protocolApplied[0].seriesDosesString'), '2'),
    ),
    errors: [
      ['NEXO_ERR_VALIDATION_PROFILE', at(I('protocolApplied[0].series'))],
      ['NEXO_ERR_VALIDATION_PROFILE', at(I('protocolApplied[0].targetDisease'))],
      ['NEXO_ERR_VALIDATION_PROFILE', at(I('protocolApplied[0].seriesDosesString'))],
    ],
  },
  {
    rule: 'RIA-C 2.0 Composition elements the profile forbids (max 0) are refused',
    document: riaCampaign2,
    change: both(
      set(C('identifier'), { system: 'urn:ietf:rfc:3986', value: 'urn:uuid:1' }),
      set(C('encounter'), { reference: 'Encounter/1' }),
      set(C('confidentiality'), 'N'),
      set(C('attester'), [{ mode: 'legal' }]),
      set(C('custodian'), { reference: 'Organization/1' }),
      set(C('event'), [{ period: { start: '2025-03-10' } }]),
      set(C('type.text'), 'RIA'),
      set(C('section[0].title'), 'Vacina'),
      set(C('section[0].entry[0].display'), 'COVID-19'),
    ),
    errors: [
      ['NEXO_ERR_VALIDATION_PROFILE', at(C('identifier'))],
      ['NEXO_ERR_VALIDATION_PROFILE', at(C('encounter'))],
      ['NEXO_ERR_VALIDATION_PROFILE', at(C('confidentiality'))],
      ['NEXO_ERR_VALIDATION_PROFILE', at(C('attester'))],
      ['NEXO_ERR_VALIDATION_PROFILE', at(C('custodian'))],
      ['NEXO_ERR_VALIDATION_PROFILE', at(C('event'))],
      ['NEXO_ERR_VALIDATION_PROFILE', at(C('type.text'))],
      ['NEXO_ERR_VALIDATION_PROFILE', at(C('section[0].title'))],
      ['NEXO_ERR_VALIDATION_PROFILE', at(C('section[0].entry[0].display'))],
    ],
  },
];
