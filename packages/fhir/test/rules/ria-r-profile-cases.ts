import { at, BASES, both, CS, FIRST, remove, SD, set, type RuleCase } from './case.ts';

const { ria, riaClinicalTrial } = BASES;
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
];
