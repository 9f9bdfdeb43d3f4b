import { at, BASES, CS, FIRST, remove, SD, set, type RuleCase } from './case.ts';

const { riaLegacy, riaCampaign1, riaCampaign2 } = BASES;
const I = (path: string) => `${FIRST}.${path}`;
const ext = (name: string) => `${at(FIRST)}.extension('${SD}${name}')`;
const coded = (system: string, code: string) => ({ coding: [{ system: `${CS}${system}`, code }] });
const HANSENIASE = { url: `${SD}BRContatoHanseniase`, valueBoolean: false };

/** The legacy RIA 1.0 and the discontinued campaign models (RIA-C 1.0 and 2.0). */
export const RIA_HISTORY_CASES: RuleCase[] = [
  {
    rule: 'RIA 1.0 performer.function is required',
    document: riaLegacy,
    change: remove(I('performer[0].function')),
    errors: [['NEXO_ERR_VALIDATION_REQUIRED', at(I('performer[0].function'))]],
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
];
