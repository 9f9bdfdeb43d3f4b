/**
 * RIA-R 2.0 documents (vaccine administered) in the shape of the national example
 * `rnds/examples/ria-r.json`, with the facts that differ between real documents varied.
 */
import { generateCns, type RandomSource } from '@nexo/identifiers';
import {
  RNDS,
  coding,
  composition,
  documentBundle,
  fhirDateTime,
  individual,
  intBelow,
  pickOne,
  type JsonObject,
  type SyntheticBundle,
} from './fhir-json.ts';
import { vaccineCodes } from './terminology.ts';

export interface RiaFacts {
  /** Bundle.identifier.value, unique per sender for a new document. */
  readonly identifier: string;
  /** CNES of the vaccination room (Composition.author). */
  readonly sender: string;
  /** The citizen's CNS or CPF. */
  readonly citizen: string;
  readonly occurredAtMs: number;
  readonly vaccine: string;
  readonly dose: string;
  readonly lot: string;
  readonly manufacturer: string;
  /** CNS of the vaccinator (Practitioner/<CNS>). */
  readonly vaccinator: string;
  readonly site: string;
  readonly route: string;
  readonly group: string;
  /**
   * A BRCID10 code: the dose follows the Especial strategy (2) and names this reason, a
   * BRCID10Avaliado-1.0 Condition entry, in Immunization.reasonReference.
   */
  readonly reason?: string;
}

const DOSES = ['1', '2', '3', '6', '7', '8', '9', '38'] as const;
const MANUFACTURERS = ['141', '142', '149', '150', '152', '153'] as const;
const SITES = ['1', '2', '3', '4'] as const;
/** BRViaAdministracao: intramuscular, subcutânea, intradérmica, oral. */
const ROUTES = ['10890', '10916', '10885', '10907'] as const;
const GROUPS = ['000201', '999999', '000101', '000103'] as const;
const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
/** BREstrategiaVacinacao: 1 Rotina, 2 Especial. */
const ROUTINE = '1';
const ESPECIAL = '2';
/** The reason Condition is entry[2], whose fullUrl documentBundle makes `urn:uuid:transient-2`. */
const REASON_URL = 'urn:uuid:transient-2';

/** A lot number like `INF25B031`. */
const lotNumber = (random: RandomSource): string =>
  `${pickOne(random, ['INF', 'FA', 'PFZ', 'BUT', 'MSD', 'GSK'])}${20 + intBelow(random, 6)}${LETTERS[intBelow(random, LETTERS.length)] ?? 'A'}${String(intBelow(random, 1000)).padStart(3, '0')}`;

/** Facts for a plausible vaccination; every field can be overridden. */
export const riaFacts = (
  random: RandomSource,
  base: Pick<RiaFacts, 'identifier' | 'sender' | 'citizen' | 'occurredAtMs'>,
): RiaFacts => ({
  ...base,
  vaccine: pickOne(random, vaccineCodes()),
  dose: pickOne(random, DOSES),
  lot: lotNumber(random),
  manufacturer: pickOne(random, MANUFACTURERS),
  vaccinator: generateCns('definitive', random),
  site: pickOne(random, SITES),
  route: pickOne(random, ROUTES),
  group: pickOne(random, GROUPS),
});

const extension = (name: string, value: JsonObject): JsonObject => ({
  url: `${RNDS}/StructureDefinition/${name}`,
  valueCodeableConcept: value,
});

const immunization = (facts: RiaFacts): JsonObject => ({
  resourceType: 'Immunization',
  meta: { profile: [`${RNDS}/StructureDefinition/BRImunobiologicoAdministrado-3.0`] },
  extension: [
    extension('BRGrupoAtendimento', coding('BRGrupoAtendimento', facts.group)),
    extension('BRCondicaoMaternal', coding('BRCondicaoMaternal', '1')),
  ],
  status: 'completed',
  vaccineCode: coding('BRImunobiologico', facts.vaccine),
  patient: individual(facts.citizen),
  occurrenceDateTime: fhirDateTime(facts.occurredAtMs),
  manufacturer: { identifier: { system: `${RNDS}/CodeSystem/BRFabricantePNI`, value: facts.manufacturer } },
  lotNumber: facts.lot,
  site: coding('BRLocalAplicacao', facts.site),
  route: coding('BRViaAdministracao', facts.route),
  performer: [
    { function: coding('BRCBO', '223505'), actor: { reference: `Practitioner/${facts.vaccinator}` } },
  ],
  ...(facts.reason === undefined ? {} : { reasonReference: [{ reference: REASON_URL }] }),
  protocolApplied: [
    {
      extension: [
        extension(
          'BREstrategiaVacinacao-1.0',
          coding('BREstrategiaVacinacao', facts.reason === undefined ? ROUTINE : ESPECIAL),
        ),
      ],
      doseNumberString: facts.dose,
    },
  ],
});

/** The reason of an Especial dose: the CID-10 condition, active, about the same citizen. */
const reasonCondition = (facts: RiaFacts, reason: string): JsonObject => ({
  resourceType: 'Condition',
  meta: { profile: [`${RNDS}/StructureDefinition/BRCID10Avaliado-1.0`] },
  clinicalStatus: {
    coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
  },
  category: [coding('BRCategoriaDiagnostico', '01')],
  code: coding('BRCID10', reason),
  subject: individual(facts.citizen),
});

/** The RIA-R document for these facts; Composition.date is 12 minutes after the vaccination. */
export const riaBundle = (facts: RiaFacts): SyntheticBundle => {
  const date = fhirDateTime(facts.occurredAtMs + 12 * 60_000);
  return documentBundle(facts.identifier, date, [
    composition({
      profile: 'BRRegistroImunobiologicoAdministradoRotina-2.0',
      type: 'RIA',
      title: 'Registro de Imunobiologico Administrado na Rotina',
      subject: facts.citizen,
      author: facts.sender,
      date,
      entries: ['urn:uuid:transient-1'],
    }),
    immunization(facts),
    ...(facts.reason === undefined ? [] : [reasonCondition(facts, facts.reason)]),
  ]);
};
