import { createDocumentValidator, type ValidatedDocument } from '@nexo/fhir';
import { describe, expect, it } from 'vitest';
import { loadExample } from './fixtures/index.ts';

const validator = createDocumentValidator();
const NOW = { now: new Date('2025-06-01T12:00:00Z') };
const CS = 'http://www.saude.gov.br/fhir/r4/CodeSystem/';
const RNDS_99 = 'http://www.saude.gov.br/fhir/r4/NamingSystem/BRRNDS-99';

const accept = (name: 'ria-r' | 'rel-qualitativo' | 'rdm'): ValidatedDocument => {
  const result = validator.validate(loadExample(name), NOW);
  if (!result.ok) throw new Error(`rejected ${name}: ${JSON.stringify(result.problems)}`);
  return result.document;
};

describe('the national examples are accepted unchanged', () => {
  it('RIA-R: a routine influenza dose, with the card facts and displays from the terminology', () => {
    expect(accept('ria-r')).toEqual({
      recordType: 'RIA',
      model: 'RIA-R-2.0',
      bundleIdentifier: { system: RNDS_99, value: 'UBS9990011-RIA-2025-000101' },
      author: { kind: 'CNES', number: '9990011' },
      subject: { kind: 'CNS', number: '266764941990004' },
      status: 'final',
      documentDate: '2025-03-10T09:42:00-03:00',
      summary: {
        recordType: 'RIA',
        vaccine: { system: `${CS}BRImunobiologico`, code: '77', display: 'INF4' },
        dose: { system: `${CS}BRDose`, code: '8', display: 'Dose' },
        occurrence: '2025-03-10T09:30:00-03:00',
        lotNumber: 'INF25B031',
        manufacturer: { system: `${CS}BRFabricantePNI`, code: '152', display: 'BUTANTAN' },
        site: { system: `${CS}BRLocalAplicacao`, code: '2', display: 'Deltóide Esquerdo' },
        route: { system: `${CS}BRViaAdministracao`, code: '10890', display: 'Intramuscular' },
        strategy: { system: `${CS}BREstrategiaVacinacao`, code: '1', display: 'Rotina' },
        group: { system: `${CS}BRGrupoAtendimento`, code: '000201', display: 'Pessoas de 18 a 64 anos' },
        performerFunction: { system: `${CS}BRCBO`, code: '223505', display: 'ENFERMEIRO' },
      },
      warnings: [],
    });
  });

  it('REL: a qualitative RT-PCR result with its specimen', () => {
    expect(accept('rel-qualitativo')).toEqual({
      recordType: 'REL',
      model: 'REL-1.1',
      bundleIdentifier: { system: RNDS_99, value: 'LAB9990022-REL-2025-000301' },
      author: { kind: 'CNES', number: '9990022' },
      subject: { kind: 'CNS', number: '998396937874850' },
      status: 'final',
      documentDate: '2025-02-11T16:20:00-03:00',
      summary: {
        recordType: 'REL',
        results: [
          {
            exam: {
              system: `${CS}BRNomeExameLOINC`,
              code: '94309-2',
              display:
                'SARS Coronavírus 2, [presença de] RNA em amostra não especificada, por amplificação do ácido nucleico com detecção por sonda',
            },
            category: {
              system: `${CS}BRSubgrupoTabelaSUS`,
              code: '0202',
              display: 'Diagnóstico em laboratório clínico',
            },
            issued: '2025-02-11T16:00:00-03:00',
            method: 'RT-PCR em tempo real',
            referenceRange: 'Não detectável',
            value: {
              kind: 'qualitative',
              result: { system: `${CS}BRResultadoQualitativoExame`, code: '2', display: 'Não Detectável' },
            },
            specimen: {
              type: { system: `${CS}BRTipoAmostraGAL`, code: 'SWNAFA', display: 'Swab Nasofaríngeo' },
            },
          },
        ],
      },
      warnings: [],
    });
  });

  it('RDM: a SUS dispensation to a citizen named by CPF; the CATMAT code is checked by shape', () => {
    expect(accept('rdm')).toEqual({
      recordType: 'RDM',
      model: 'RDM',
      bundleIdentifier: { system: RNDS_99, value: 'FARM9990033-RDM-2025-000401' },
      author: { kind: 'CNES', number: '9990033' },
      subject: { kind: 'CPF', number: '93273918454' },
      status: 'final',
      documentDate: '2025-03-30T10:00:00-03:00',
      summary: {
        recordType: 'RDM',
        dispensations: [
          {
            medication: { system: `${CS}BRObmCATMAT`, code: 'BR0267778' },
            form: { system: `${CS}BRUnidadeMedida`, code: '19', display: 'Comprimido' },
            quantity: { value: 30 },
            handedOver: '2025-03-30',
            prescribedAt: '2025-03-28',
            programme: {
              system: `${CS}BRModalidadeFinanceira`,
              code: '01',
              display: 'Unidade de saúde pública ou privada, com pagamento pelo SUS',
            },
          },
        ],
      },
      warnings: [],
    });
  });

  it('does not modify the document it validates', () => {
    const bundle = loadExample('ria-r');
    const before = structuredClone(bundle);
    validator.validate(bundle, NOW);
    expect(bundle).toEqual(before);
  });
});
