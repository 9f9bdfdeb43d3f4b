/**
 * RDM documents (medicine dispensed) in the shape of `rnds/examples/rdm.json`, with the
 * quantity, days of supply, programme and dates varied.
 */
import { generateCns, type RandomSource } from '@nexo/identifiers';
import {
  RNDS,
  coding,
  composition,
  documentBundle,
  establishment,
  fhirDate,
  fhirDateTime,
  individual,
  intBelow,
  pickOne,
  type SyntheticBundle,
} from './fhir-json.ts';

export interface RdmFacts {
  readonly identifier: string;
  /** CNES of the pharmacy. */
  readonly sender: string;
  readonly citizen: string;
  readonly handedOverAtMs: number;
  /** Days between the prescription and the hand-over. */
  readonly prescribedDaysBefore: number;
  readonly quantity: number;
  readonly programme: '01' | '02';
  /** CNS of the pharmacist. */
  readonly pharmacist: string;
}

export const rdmFacts = (
  random: RandomSource,
  base: Pick<RdmFacts, 'identifier' | 'sender' | 'citizen' | 'handedOverAtMs'>,
): RdmFacts => ({
  ...base,
  prescribedDaysBefore: intBelow(random, 30),
  quantity: pickOne(random, [10, 20, 28, 30, 60, 90]),
  programme: random() < 0.7 ? '01' : '02',
  pharmacist: generateCns('definitive', random),
});

/** The RDM document for these facts; Composition.date is the hand-over instant. */
export const rdmBundle = (facts: RdmFacts): SyntheticBundle => {
  const date = fhirDateTime(facts.handedOverAtMs);
  return documentBundle(facts.identifier, date, [
    composition({
      profile: 'BRRegistroDispensacaoMedicamento',
      type: 'RDM',
      title: 'Registro de Dispensacao de Medicamento',
      subject: facts.citizen,
      author: facts.sender,
      date,
      entries: ['urn:uuid:transient-1'],
    }),
    {
      resourceType: 'MedicationDispense',
      meta: { profile: [`${RNDS}/StructureDefinition/BRDispensacaoMedicamento`] },
      extension: [
        {
          url: `${RNDS}/StructureDefinition/BRDataPrescricao`,
          valueDateTime: fhirDate(facts.handedOverAtMs - facts.prescribedDaysBefore * 86_400_000),
        },
      ],
      status: 'completed',
      category: coding('BRModalidadeFinanceira', facts.programme),
      medicationReference: { reference: 'urn:uuid:transient-2' },
      subject: individual(facts.citizen),
      performer: [
        { actor: establishment(facts.sender) },
        {
          actor: {
            identifier: { system: `${RNDS}/StructureDefinition/BRProfissional-1.0`, value: facts.pharmacist },
          },
        },
      ],
      quantity: { value: facts.quantity },
      daysSupply: { value: facts.quantity },
      whenHandedOver: fhirDate(facts.handedOverAtMs),
    },
    {
      resourceType: 'Medication',
      meta: { profile: [`${RNDS}/StructureDefinition/BRMedicamento`] },
      code: coding('BRObmCATMAT', 'BR0267778'),
      form: coding('BRUnidadeMedida', '19'),
    },
  ]);
};
