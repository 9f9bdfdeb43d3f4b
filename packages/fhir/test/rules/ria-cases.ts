import { getAt, setAt } from '../fixtures/index.ts';
import { at, BASES, both, CS, FIRST, FUTURE, remove, SD, set, type RuleCase } from './case.ts';

const { ria, riaTranscription } = BASES;
const I = (path: string) => `${FIRST}.${path}`;
const ext = (name: string) => `${at(FIRST)}.extension('${SD}${name}')`;
const coded = (system: string, code: string) => ({ coding: [{ system: `${CS}${system}`, code }] });

export const RIA_CASES: RuleCase[] = [
  {
    rule: 'Immunization.status is completed',
    document: ria,
    change: set(I('status'), 'not-done'),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(I('status'))]],
  },
  {
    rule: 'vaccineCode has exactly one coding',
    document: ria,
    change: set(I('vaccineCode.coding[1]'), { system: `${CS}BRImunobiologico`, code: '9' }),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(I('vaccineCode.coding'))]],
  },
  {
    rule: 'vaccineCode is from BRImunobiologico (system)',
    document: ria,
    change: set(I('vaccineCode.coding[0].system'), 'http://hl7.org/fhir/sid/cvx'),
    errors: [['NEXO_ERR_VALIDATION_CODE', at(I('vaccineCode.coding[0].system'))]],
  },
  {
    rule: 'vaccineCode is from BRImunobiologico (code)',
    document: ria,
    change: set(I('vaccineCode.coding[0].code'), '9999'),
    errors: [['NEXO_ERR_VALIDATION_CODE', at(I('vaccineCode.coding[0].code'))]],
  },
  {
    rule: 'Immunization.patient is required',
    document: ria,
    change: remove(I('patient')),
    errors: [['NEXO_ERR_VALIDATION_REQUIRED', at(I('patient'))]],
  },
  {
    rule: 'occurrenceDateTime is required',
    document: ria,
    change: remove(I('occurrenceDateTime')),
    errors: [['NEXO_ERR_VALIDATION_REQUIRED', at(I('occurrenceDateTime'))]],
  },
  {
    rule: 'occurrenceDateTime is not in the future',
    document: ria,
    change: set(I('occurrenceDateTime'), FUTURE),
    errors: [['NEXO_ERR_VALIDATION_DATE', at(I('occurrenceDateTime'))]],
  },
  {
    rule: 'occurrenceDateTime with a time has an offset',
    document: ria,
    change: set(I('occurrenceDateTime'), '2025-03-10T09:30:00'),
    errors: [['NEXO_ERR_VALIDATION_DATE', at(I('occurrenceDateTime'))]],
  },
  {
    rule: 'occurrenceDateTime is a real calendar date',
    document: ria,
    change: set(I('occurrenceDateTime'), '2025-02-30'),
    errors: [['NEXO_ERR_VALIDATION_DATE', at(I('occurrenceDateTime'))]],
  },
  {
    rule: 'occurrenceDateTime has at least the day',
    document: ria,
    change: set(I('occurrenceDateTime'), '2025-03'),
    errors: [['NEXO_ERR_VALIDATION_DATE', at(I('occurrenceDateTime'))]],
  },
  {
    rule: 'occurrenceDateTime is not before 1900 (0001-01-01, a default date)',
    document: ria,
    change: set(I('occurrenceDateTime'), '0001-01-01'),
    errors: [['NEXO_ERR_VALIDATION_DATE', at(I('occurrenceDateTime'))]],
  },
  {
    rule: 'occurrenceDateTime is not before 1900 (1800-01-01)',
    document: ria,
    change: set(I('occurrenceDateTime'), '1800-01-01'),
    errors: [['NEXO_ERR_VALIDATION_DATE', at(I('occurrenceDateTime'))]],
  },
  {
    rule: 'occurrenceDateTime is not before 1900, as written in its time zone',
    document: ria,
    change: set(I('occurrenceDateTime'), '1899-12-31T23:30:00-03:00'),
    errors: [['NEXO_ERR_VALIDATION_DATE', at(I('occurrenceDateTime'))]],
  },
  {
    rule: 'BRGrupoAtendimento is required',
    document: ria,
    change: remove(I('extension[0]')),
    errors: [['NEXO_ERR_VALIDATION_REQUIRED', ext('BRGrupoAtendimento')]],
  },
  {
    rule: 'BRGrupoAtendimento appears once',
    document: ria,
    change: (bundle) => setAt(bundle, I('extension[2]'), structuredClone(getAt(bundle, I('extension[0]')))),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', ext('BRGrupoAtendimento')]],
  },
  {
    rule: 'BRGrupoAtendimento code is from its code system',
    document: ria,
    change: set(I('extension[0].valueCodeableConcept.coding[0].code'), '123'),
    errors: [['NEXO_ERR_VALIDATION_CODE', at(I('extension[0].valueCodeableConcept.coding[0].code'))]],
  },
  {
    rule: 'BRGrupoAtendimento carries a valueCodeableConcept',
    document: ria,
    change: set(I('extension[0]'), { url: `${SD}BRGrupoAtendimento`, valueString: '000201' }),
    errors: [['NEXO_ERR_VALIDATION_REQUIRED', at(I('extension[0].valueCodeableConcept'))]],
  },
  {
    rule: 'an extension value[x] is one of the FHIR R4 data types',
    document: ria,
    change: set(I('extension[0].valueOf'), {}),
    errors: [['NEXO_ERR_VALIDATION_STRUCTURE', at(I('extension[0].valueOf'))]],
  },
  {
    rule: 'an extension value of a primitive type is of that type, in any extension',
    document: ria,
    change: set(I('extension[2]'), {
      url: 'http://example.org/fhir/StructureDefinition/note',
      valueString: 12,
    }),
    errors: [['NEXO_ERR_VALIDATION_STRUCTURE', at(I('extension[2].valueString'))]],
  },
  {
    rule: 'an element is never an empty object, at the Bundle or in a resource (ele-1)',
    document: ria,
    change: (bundle) => {
      setAt(bundle, 'meta', {});
      setAt(bundle, I('meta'), {});
    },
    errors: [
      ['NEXO_ERR_VALIDATION_STRUCTURE', 'Bundle.meta'],
      ['NEXO_ERR_VALIDATION_STRUCTURE', at(I('meta'))],
    ],
  },
  {
    rule: 'an empty element inside which the schema reported a problem is not reported again',
    document: ria,
    change: set(I('extension[0].valueCodeableConcept'), {}),
    errors: [['NEXO_ERR_VALIDATION_REQUIRED', at(I('extension[0].valueCodeableConcept.coding'))]],
  },
  {
    rule: 'an extension carries one value[x]',
    document: ria,
    change: set(I('extension[0].valueString'), '000201'),
    errors: [['NEXO_ERR_VALIDATION_STRUCTURE', at(I('extension[0].valueString'))]],
  },
  {
    rule: 'an extension carries a value or nested extensions, not both (ext-1), at any depth',
    document: ria,
    change: set(I('protocolApplied[0].extension[0].extension'), [
      { url: 'http://example.org/fhir/StructureDefinition/part', valueString: 'x' },
    ]),
    errors: [['NEXO_ERR_VALIDATION_STRUCTURE', at(I('protocolApplied[0].extension[0].extension'))]],
  },
  {
    rule: 'BRCondicaoMaternal is required',
    document: ria,
    change: remove(I('extension[1]')),
    errors: [['NEXO_ERR_VALIDATION_REQUIRED', ext('BRCondicaoMaternal')]],
  },
  {
    rule: 'BRCondicaoMaternal code is 1, 2 or 3',
    document: ria,
    change: set(I('extension[1].valueCodeableConcept.coding[0].code'), '4'),
    errors: [['NEXO_ERR_VALIDATION_CODE', at(I('extension[1].valueCodeableConcept.coding[0].code'))]],
  },
  {
    rule: 'BCG (vaccine 15) needs BRContatoHanseniase',
    document: ria,
    change: set(I('vaccineCode.coding[0].code'), '15'),
    errors: [['NEXO_ERR_BUSINESS_RULE', ext('BRContatoHanseniase')]],
  },
  {
    rule: 'BRContatoHanseniase carries a valueBoolean',
    document: ria,
    change: both(
      set(I('vaccineCode.coding[0].code'), '15'),
      set(I('extension[2]'), { url: `${SD}BRContatoHanseniase`, valueString: 'não' }),
    ),
    errors: [['NEXO_ERR_VALIDATION_REQUIRED', at(I('extension[2].valueBoolean'))]],
  },
  {
    rule: 'site has exactly one coding',
    document: ria,
    change: set(I('site.coding[1]'), { system: `${CS}BRLocalAplicacao`, code: '1' }),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(I('site.coding'))]],
  },
  {
    rule: 'site is from BRLocalAplicacao',
    document: ria,
    change: set(I('site.coding[0].code'), '50'),
    errors: [['NEXO_ERR_VALIDATION_CODE', at(I('site.coding[0].code'))]],
  },
  {
    rule: 'route is from BRViaAdministracao',
    document: ria,
    change: set(I('route.coding[0].code'), '7'),
    errors: [['NEXO_ERR_VALIDATION_CODE', at(I('route.coding[0].code'))]],
  },
  {
    rule: 'manufacturer.identifier system is BRFabricantePNI',
    document: ria,
    change: set(I('manufacturer.identifier.system'), 'http://example.org/fabricantes'),
    errors: [['NEXO_ERR_VALIDATION_CODE', at(I('manufacturer.identifier.system'))]],
  },
  {
    rule: 'manufacturer is a BRFabricantePNI code',
    document: ria,
    change: set(I('manufacturer.identifier.value'), '1'),
    errors: [['NEXO_ERR_VALIDATION_CODE', at(I('manufacturer.identifier.value'))]],
  },
  {
    rule: 'lotNumber is required except for transcriptions',
    document: ria,
    change: remove(I('lotNumber')),
    errors: [['NEXO_ERR_VALIDATION_REQUIRED', at(I('lotNumber'))]],
  },
  {
    rule: 'lotNumber is not only white space (it would pass for a lot number)',
    document: ria,
    change: set(I('lotNumber'), '   '),
    errors: [['NEXO_ERR_VALIDATION_REQUIRED', at(I('lotNumber'))]],
  },
  {
    rule: 'lotNumber has at most 64 characters (it is shown on the card and the certificate)',
    document: ria,
    change: set(I('lotNumber'), 'L'.repeat(500_000)),
    errors: [['NEXO_ERR_VALIDATION_TOO_LONG', at(I('lotNumber'))]],
  },
  {
    rule: 'a transcription may omit lotNumber, but one it sends is bounded too',
    document: riaTranscription,
    change: set(I('lotNumber'), 'L'.repeat(65)),
    errors: [['NEXO_ERR_VALIDATION_TOO_LONG', at(I('lotNumber'))]],
  },
  {
    rule: 'a transcription (primarySource false) needs reportOrigin',
    document: riaTranscription,
    change: remove(I('reportOrigin')),
    errors: [['NEXO_ERR_VALIDATION_REQUIRED', at(I('reportOrigin'))]],
  },
  {
    rule: 'reportOrigin only with primarySource false',
    document: ria,
    change: set(I('reportOrigin'), coded('BRRegistroOrigem', '01')),
    errors: [['NEXO_ERR_BUSINESS_RULE', at(I('primarySource'))]],
  },
  {
    rule: 'reportOrigin is from BRRegistroOrigem',
    document: riaTranscription,
    change: set(I('reportOrigin.coding[0].code'), '03'),
    errors: [['NEXO_ERR_VALIDATION_CODE', at(I('reportOrigin.coding[0].code'))]],
  },
  {
    rule: 'the country of a dose given abroad is from BRPais',
    document: riaTranscription,
    change: set(I('location.identifier.value'), '9999'),
    errors: [['NEXO_ERR_VALIDATION_CODE', at(I('location.identifier.value'))]],
  },
  {
    rule: 'performer has exactly one item',
    document: ria,
    change: set(I('performer[1]'), { actor: { reference: 'Practitioner/203212962400006' } }),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(I('performer'))]],
  },
  {
    rule: 'performer.actor is Practitioner/<CNS>',
    document: ria,
    change: set(I('performer[0].actor.reference'), 'Practitioner/abc'),
    errors: [['NEXO_ERR_VALIDATION_IDENTIFIER', at(I('performer[0].actor.reference'))]],
  },
  {
    rule: 'performer.actor CNS passes its check',
    document: ria,
    change: set(I('performer[0].actor.reference'), 'Practitioner/203212962400007'),
    errors: [['NEXO_ERR_VALIDATION_IDENTIFIER', at(I('performer[0].actor.reference'))]],
  },
  {
    rule: 'performer.function is from BRCBO',
    document: ria,
    change: set(I('performer[0].function.coding[0].code'), '999999'),
    errors: [['NEXO_ERR_VALIDATION_CODE', at(I('performer[0].function.coding[0].code'))]],
  },
  {
    rule: 'protocolApplied has exactly one item',
    document: ria,
    change: set(I('protocolApplied[1]'), { doseNumberString: '1' }),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(I('protocolApplied'))]],
  },
  {
    rule: 'RIA-R needs BREstrategiaVacinacao',
    document: ria,
    change: remove(I('protocolApplied[0].extension')),
    errors: [
      [
        'NEXO_ERR_VALIDATION_REQUIRED',
        `${at(I('protocolApplied[0]'))}.extension('${SD}BREstrategiaVacinacao-1.0')`,
      ],
    ],
  },
  {
    rule: 'BREstrategiaVacinacao is from its code system',
    document: ria,
    change: set(I('protocolApplied[0].extension[0].valueCodeableConcept.coding[0].code'), '16'),
    errors: [
      [
        'NEXO_ERR_VALIDATION_CODE',
        at(I('protocolApplied[0].extension[0].valueCodeableConcept.coding[0].code')),
      ],
    ],
  },
  {
    rule: 'doseNumberString is from BRDose: not "D1"',
    document: ria,
    change: set(I('protocolApplied[0].doseNumberString'), 'D1'),
    errors: [['NEXO_ERR_VALIDATION_CODE', at(I('protocolApplied[0].doseNumberString'))]],
  },
  {
    rule: 'doseNumberString is from BRDose: not "REF"',
    document: ria,
    change: set(I('protocolApplied[0].doseNumberString'), 'REF'),
    errors: [['NEXO_ERR_VALIDATION_CODE', at(I('protocolApplied[0].doseNumberString'))]],
  },
  {
    rule: 'doseNumberString is required',
    document: ria,
    change: remove(I('protocolApplied[0].doseNumberString')),
    errors: [['NEXO_ERR_VALIDATION_REQUIRED', at(I('protocolApplied[0].doseNumberString'))]],
  },
  {
    rule: 'doseNumberPositiveInt is not used',
    document: ria,
    change: set(I('protocolApplied[0].doseNumberPositiveInt'), 1),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(I('protocolApplied[0].doseNumberPositiveInt'))]],
  },
];
