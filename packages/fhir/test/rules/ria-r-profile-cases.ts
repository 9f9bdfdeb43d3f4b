import { at, BASES, both, COMPOSITION, CS, FIRST, remove, SD, set, type RuleCase } from './case.ts';

const { ria, riaClinicalTrial, riaTranscription } = BASES;
const C = (path: string) => `${COMPOSITION}.${path}`;
const I = (path: string) => `${FIRST}.${path}`;
const PROTOCOL = I('protocolApplied[0]');
const STUDY = `${PROTOCOL}.extension[1]`;
const coded = (system: string, code: string) => ({ coding: [{ system: `${CS}${system}`, code }] });

/**
 * What the national RIA guide's RIA-R profiles (Composition 2.0, Immunization 3.0 and the
 * extensions they use) allow and forbid beyond the rules every RIA model shares.
 */
export const RIA_R_PROFILE_CASES: RuleCase[] = [
  {
    rule: 'Immunization carries three extensions at most (group, maternal condition, leprosy contact)',
    document: ria,
    change: both(
      set(I('extension[2]'), { url: `${SD}BRContatoHanseniase`, valueBoolean: false }),
      set(I('extension[3]'), { url: 'http://example.org/fhir/StructureDefinition/local', valueString: 'x' }),
    ),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(I('extension'))]],
  },
  {
    rule: 'protocolApplied carries two extensions at most (strategy and clinical study)',
    document: riaClinicalTrial,
    change: set(`${PROTOCOL}.extension[2]`, {
      url: 'http://example.org/fhir/StructureDefinition/local',
      valueCodeableConcept: coded('BREstrategiaVacinacao', '1'),
    }),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(`${PROTOCOL}.extension`)]],
  },
  {
    rule: 'BREstrategiaVacinacaoPesquisa-1.0 has no value of its own',
    document: riaClinicalTrial,
    change: set(`${STUDY}.valueString`, 'GU1AMT9CYR'),
    errors: [['NEXO_ERR_VALIDATION_STRUCTURE', at(`${STUDY}.extension`)]],
  },
  {
    rule: 'BREstrategiaVacinacaoPesquisa-1.0 without nested extensions carries no value either',
    document: riaClinicalTrial,
    change: both(remove(`${STUDY}.extension`), set(`${STUDY}.valueString`, 'GU1AMT9CYR')),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(`${STUDY}.valueString`)]],
  },
  {
    rule: 'BREstrategiaVacinacaoPesquisa-1.0 names each study fact once',
    document: riaClinicalTrial,
    change: set(`${STUDY}.extension[2]`, { url: 'numeroProtocoloEstudoANVISA', valueString: 'OTHER' }),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(`${STUDY}.extension('numeroProtocoloEstudoANVISA')`)]],
  },
  {
    rule: 'BREstrategiaVacinacaoPesquisa-1.0 carries three study facts at most',
    document: riaClinicalTrial,
    change: set(`${STUDY}.extension[3]`, { url: 'numeroLoteEstudo', valueString: 'L1' }),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(`${STUDY}.extension`)]],
  },
  {
    rule: 'a study fact is a valueString',
    document: riaClinicalTrial,
    change: both(remove(`${STUDY}.extension[1].valueString`), set(`${STUDY}.extension[1].valueInteger`, 3)),
    errors: [['NEXO_ERR_VALIDATION_REQUIRED', at(`${STUDY}.extension[1].valueString`)]],
  },
  {
    rule: 'BREstrategiaVacinacaoPesquisa-1.0 appears once',
    document: riaClinicalTrial,
    change: (bundle) => {
      const protocol = (bundle.entry?.[1]?.resource as { protocolApplied: Array<{ extension: unknown[] }> })
        .protocolApplied[0];
      if (protocol) protocol.extension = [protocol.extension[1], protocol.extension[1]];
    },
    errors: [
      ['NEXO_ERR_VALIDATION_PROFILE', at(`${PROTOCOL}.extension('${SD}BREstrategiaVacinacaoPesquisa-1.0')`)],
      ['NEXO_ERR_VALIDATION_REQUIRED', at(`${PROTOCOL}.extension('${SD}BREstrategiaVacinacao-1.0')`)],
    ],
  },
  {
    rule: 'Immunization elements the profile forbids (max 0) are refused',
    document: ria,
    change: both(
      set(I('identifier'), [{ system: 'urn:ietf:rfc:3986', value: 'urn:uuid:1' }]),
      set(I('statusReason'), coded('BRImunobiologico', '77')),
      set(I('recorded'), '2025-03-10'),
      set(I('doseQuantity'), { value: 0.5, unit: 'mL' }),
      set(I('note'), [{ text: 'sem intercorrências' }]),
      set(I('reasonCode'), [coded('BRCID10', 'J45')]),
      set(I('isSubpotent'), false),
      set(I('fundingSource'), coded('BRModalidadeFinanceira', '01')),
    ),
    errors: [
      ['NEXO_ERR_VALIDATION_PROFILE', at(I('identifier'))],
      ['NEXO_ERR_VALIDATION_PROFILE', at(I('statusReason'))],
      ['NEXO_ERR_VALIDATION_PROFILE', at(I('recorded'))],
      ['NEXO_ERR_VALIDATION_PROFILE', at(I('doseQuantity'))],
      ['NEXO_ERR_VALIDATION_PROFILE', at(I('note'))],
      ['NEXO_ERR_VALIDATION_PROFILE', at(I('reasonCode'))],
      ['NEXO_ERR_VALIDATION_PROFILE', at(I('isSubpotent'))],
      ['NEXO_ERR_VALIDATION_PROFILE', at(I('fundingSource'))],
    ],
  },
  {
    rule: 'Immunization.encounter is forbidden, once (its reference is not also reported)',
    document: ria,
    change: set(I('encounter'), { reference: 'Encounter/123' }),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(I('encounter'))]],
  },
  {
    rule: 'bound codes carry system and code only (no display, userSelected or text)',
    document: ria,
    change: both(
      set(I('vaccineCode.coding[0].display'), 'INF4'),
      set(I('site.text'), 'braço esquerdo'),
      set(I('route.coding[0].userSelected'), true),
      set(I('performer[0].function.coding[0].display'), 'ENFERMEIRO'),
    ),
    errors: [
      ['NEXO_ERR_VALIDATION_PROFILE', at(I('vaccineCode.coding[0].display'))],
      ['NEXO_ERR_VALIDATION_PROFILE', at(I('site.text'))],
      ['NEXO_ERR_VALIDATION_PROFILE', at(I('route.coding[0].userSelected'))],
      ['NEXO_ERR_VALIDATION_PROFILE', at(I('performer[0].function.coding[0].display'))],
    ],
  },
  {
    rule: 'manufacturer and location are an identifier {system, value} only',
    document: riaTranscription,
    change: both(
      set(I('manufacturer.display'), 'BUTANTAN'),
      set(I('manufacturer.identifier.use'), 'official'),
      set(I('location.reference'), 'Location/1'),
    ),
    errors: [
      ['NEXO_ERR_VALIDATION_PROFILE', at(I('manufacturer.display'))],
      ['NEXO_ERR_VALIDATION_PROFILE', at(I('manufacturer.identifier.use'))],
      ['NEXO_ERR_VALIDATION_PROFILE', at(I('location.reference'))],
    ],
  },
  {
    rule: 'protocolApplied has no series, target disease or series doses',
    document: ria,
    change: both(
      set(`${PROTOCOL}.series`, 'Influenza 2025'),
      set(`${PROTOCOL}.targetDisease`, [coded('BRCID10', 'J11')]),
      set(`${PROTOCOL}.seriesDosesPositiveInt`, 1),
    ),
    errors: [
      ['NEXO_ERR_VALIDATION_PROFILE', at(`${PROTOCOL}.series`)],
      ['NEXO_ERR_VALIDATION_PROFILE', at(`${PROTOCOL}.targetDisease`)],
      ['NEXO_ERR_VALIDATION_PROFILE', at(`${PROTOCOL}.seriesDosesPositiveInt`)],
    ],
  },
  {
    rule: 'Composition elements the profile forbids (max 0) are refused',
    document: ria,
    change: both(
      set(C('identifier'), { system: 'urn:ietf:rfc:3986', value: 'urn:uuid:1' }),
      set(C('encounter'), { reference: 'Encounter/1' }),
      set(C('confidentiality'), 'N'),
      set(C('attester'), [{ mode: 'legal' }]),
      set(C('custodian'), { reference: 'Organization/1' }),
      set(C('event'), [{ period: { start: '2025-03-10' } }]),
    ),
    errors: [
      ['NEXO_ERR_VALIDATION_PROFILE', at(C('identifier'))],
      ['NEXO_ERR_VALIDATION_PROFILE', at(C('encounter'))],
      ['NEXO_ERR_VALIDATION_PROFILE', at(C('confidentiality'))],
      ['NEXO_ERR_VALIDATION_PROFILE', at(C('attester'))],
      ['NEXO_ERR_VALIDATION_PROFILE', at(C('custodian'))],
      ['NEXO_ERR_VALIDATION_PROFILE', at(C('event'))],
    ],
  },
  {
    rule: 'Composition.type has no text; the section and its entry carry only the reference',
    document: ria,
    change: both(
      set(C('type.text'), 'RIA'),
      set(C('section[0].title'), 'Vacina'),
      set(C('section[0].entry[0].display'), 'Influenza'),
    ),
    errors: [
      ['NEXO_ERR_VALIDATION_PROFILE', at(C('type.text'))],
      ['NEXO_ERR_VALIDATION_PROFILE', at(C('section[0].title'))],
      ['NEXO_ERR_VALIDATION_PROFILE', at(C('section[0].entry[0].display'))],
    ],
  },
  {
    rule: 'the route is a current BRViaAdministracao code, not one of RIA 1.0 only (1–6)',
    document: ria,
    change: set(I('route.coding[0].code'), '2'),
    errors: [['NEXO_ERR_VALIDATION_CODE', at(I('route.coding[0].code'))]],
  },
];
