/**
 * REL documents (lab exam result) in the shape of `rnds/examples/rel-qualitativo.json`: a
 * qualitative SARS-CoV-2 result with its specimen, exam, result and dates varied.
 */
import type { RandomSource } from '@nexo/identifiers';
import {
  RNDS,
  coding,
  composition,
  documentBundle,
  fhirDateTime,
  individual,
  pickOne,
  type SyntheticBundle,
} from './fhir-json.ts';

export interface RelFacts {
  readonly identifier: string;
  /** CNES of the laboratory. */
  readonly sender: string;
  readonly citizen: string;
  readonly issuedAtMs: number;
  readonly exam: string;
  readonly result: string;
  readonly specimen: string;
}

const EXAMS = ['94309-2', '94307-6', '94308-4', '94314-2', '94315-9', '94316-7'] as const;
const RESULTS = ['1', '2', '2', '2', '3'] as const;
const SPECIMENS = ['SWNAFA', 'SNOF', 'SECONF', 'SWORO', 'SWNAS'] as const;

export const relFacts = (
  random: RandomSource,
  base: Pick<RelFacts, 'identifier' | 'sender' | 'citizen' | 'issuedAtMs'>,
): RelFacts => ({
  ...base,
  exam: pickOne(random, EXAMS),
  result: pickOne(random, RESULTS),
  specimen: pickOne(random, SPECIMENS),
});

/** The REL document for these facts; Composition.date is 20 minutes after the result was issued. */
export const relBundle = (facts: RelFacts): SyntheticBundle => {
  const date = fhirDateTime(facts.issuedAtMs + 20 * 60_000);
  return documentBundle(facts.identifier, date, [
    composition({
      profile: 'BRResultadoExameLaboratorial-1.1',
      type: 'REL',
      title: 'Resultado de Exame Laboratorial',
      subject: facts.citizen,
      author: facts.sender,
      date,
      entries: ['urn:uuid:transient-1'],
    }),
    {
      resourceType: 'Observation',
      meta: { profile: [`${RNDS}/StructureDefinition/BRDiagnosticoLaboratorioClinico-1.0`] },
      status: 'final',
      category: [coding('BRSubgrupoTabelaSUS', '0202')],
      code: coding('BRNomeExameLOINC', facts.exam),
      subject: individual(facts.citizen),
      issued: fhirDateTime(facts.issuedAtMs),
      performer: [
        {
          identifier: {
            system: `${RNDS}/StructureDefinition/BRPessoaJuridicaProfissionalLiberal-1.0`,
            value: facts.sender,
          },
        },
      ],
      valueCodeableConcept: coding('BRResultadoQualitativoExame', facts.result),
      method: { text: 'RT-PCR em tempo real' },
      referenceRange: [{ text: 'Não detectável' }],
      specimen: { reference: 'urn:uuid:transient-2' },
    },
    {
      resourceType: 'Specimen',
      meta: { profile: [`${RNDS}/StructureDefinition/BRAmostraBiologica-1.0`] },
      type: coding('BRTipoAmostraGAL', facts.specimen),
    },
  ]);
};
