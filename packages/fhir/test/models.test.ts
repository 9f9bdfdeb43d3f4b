import { readFileSync, readdirSync } from 'node:fs';
import {
  createDocumentValidator,
  profileBaseType,
  type RiaSummary,
  type ValidatedDocument,
} from '@nexo/fhir';
import { CITIZEN_IDENTIFIER_SYSTEMS } from '@nexo/identifiers';
import type { Bundle } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import {
  rdmDocument,
  relDocument,
  removeAt,
  riaCampaignDocument,
  riaClinicalTrialDocument,
  riaDocument,
  riaLegacyDocument,
  riaReasonDocument,
  riaTranscriptionDocument,
  SAMPLE_CITIZENS,
  setAt,
} from './fixtures/index.ts';

const validator = createDocumentValidator();
const NOW = { now: new Date('2025-06-01T12:00:00Z') };
const SD = 'http://www.saude.gov.br/fhir/r4/StructureDefinition/';
const CS = 'http://www.saude.gov.br/fhir/r4/CodeSystem/';

const accept = (bundle: Bundle): ValidatedDocument => {
  const result = validator.validate(bundle, NOW);
  if (!result.ok) throw new Error(JSON.stringify(result.problems, null, 2));
  return result.document;
};
const riaSummary = (bundle: Bundle): RiaSummary => {
  const { summary } = accept(bundle);
  if (summary.recordType !== 'RIA') throw new Error(`not an RIA: ${summary.recordType}`);
  return summary;
};

describe('each model is accepted', () => {
  it.each([
    ['RIA-R-2.0', riaDocument()],
    ['RIA-1.0', riaLegacyDocument()],
    ['RIA-C-1.0', riaCampaignDocument('1.0')],
    ['RIA-C-2.0', riaCampaignDocument('2.0')],
    ['REL-1.1', relDocument()],
    ['REL-1.0', relDocument({ model: 'REL-1.0' })],
    ['RDM', rdmDocument()],
  ] as const)('%s', (model, bundle) => {
    expect(accept(bundle).model).toBe(model);
  });

  it('RIA 1.0 without the strategy extension (optional there)', () => {
    expect(riaSummary(riaLegacyDocument()).strategy).toBeUndefined();
  });

  it('RIA 1.0 without BRGrupoAtendimento, BRCondicaoMaternal or, for BCG, BRContatoHanseniase: the earlier national guide defines none', () => {
    const legacy = riaLegacyDocument({ vaccine: '15' });
    removeAt(legacy, 'entry[1].resource.extension');
    const summary = riaSummary(legacy);
    expect(summary.vaccine.code).toBe('15');
    expect(summary.group).toBeUndefined();
    const grouped = riaSummary(riaLegacyDocument());
    expect(grouped.group?.code).toBe('000201');
  });

  it('RIA-C 1.0 names the manufacturer by reference and display', () => {
    expect(riaSummary(riaCampaignDocument('1.0')).manufacturer).toEqual({
      system: `${SD}BRPessoaJuridicaProfissionalLiberal-1.0`,
      code: '33781055000135',
      display: 'FIOCRUZ',
    });
  });

  it('RIA 1.0 names the manufacturer as the earlier national guide does (reference and display), or by a BRFabricantePNI code', () => {
    const asTheGuide = riaLegacyDocument();
    setAt(asTheGuide, 'entry[1].resource.manufacturer', {
      reference: 'Organization/33781055000135',
      display: 'FIOCRUZ',
    });
    expect(riaSummary(asTheGuide).manufacturer).toEqual({
      system: `${SD}BRPessoaJuridicaProfissionalLiberal-1.0`,
      code: '33781055000135',
      display: 'FIOCRUZ',
    });
    expect(riaSummary(riaLegacyDocument()).manufacturer).toEqual({
      system: `${CS}BRFabricantePNI`,
      code: '152',
      display: 'BUTANTAN',
    });
  });

  it('RIA-C 2.0: a COVID-19 second dose, no site or route', () => {
    const summary = riaSummary(riaCampaignDocument('2.0'));
    expect(summary.vaccine).toEqual({
      system: `${CS}BRImunobiologico`,
      code: '85',
      display: 'COVID-19 ASTRAZENECA/FIOCRUZ - COVISHIELD',
    });
    expect(summary.dose).toEqual({ system: `${CS}BRDose`, code: '2', display: '2ª Dose' });
    expect(summary.manufacturer).toEqual({ system: `${CS}BRFabricantePNI`, code: '149', display: 'FIOCRUZ' });
    expect(summary.site).toBeUndefined();
    expect(summary.route).toBeUndefined();
  });

  it('RIA-C 2.0 as the national RIA guide’s example sends it (its placeholder citizen, CNES and CNS replaced)', () => {
    const example = riaCampaignDocument('2.0', { date: '2024-04-01' });
    const narrative = (text: string) => ({
      status: 'generated',
      div: `<div xmlns="http://www.w3.org/1999/xhtml"><p>${text}</p></div>`,
    });
    const facts: Array<[string, unknown]> = [
      ['entry[0].resource.id', 'transient-0'],
      ['entry[0].resource.text', narrative('Registro de Imunobiológico Administrado na Campanha')],
      ['entry[1].resource.id', 'transient-1'],
      ['entry[1].resource.text', narrative('COVID-19 JANSSEN - Ad26.COV2.S')],
      ['entry[1].resource.extension[0].valueCodeableConcept.coding[0].code', '000703'],
      ['entry[1].resource.vaccineCode.coding[0].code', '88'],
      ['entry[1].resource.manufacturer.identifier.value', '30587'],
      ['entry[1].resource.lotNumber', '220262'],
      ['entry[1].resource.protocolApplied[0].doseNumberString', '1'],
    ];
    for (const [path, value] of facts) setAt(example, path, value);
    const summary = riaSummary(example);
    expect([summary.vaccine.code, summary.dose.code, summary.manufacturer?.code, summary.lotNumber]).toEqual([
      '88',
      '1',
      '30587',
      '220262',
    ]);
  });

  it('RIA-C 2.0 without performer.function, which its profile leaves out; 1.0 needs it', () => {
    expect(riaSummary(riaCampaignDocument('2.0')).performerFunction).toBeUndefined();
    const legacy = riaCampaignDocument('1.0');
    removeAt(legacy, 'entry[1].resource.performer[0].function');
    const refused = validator.validate(legacy, NOW);
    expect(refused.ok ? [] : refused.problems.map((p) => [p.code, p.expression])).toEqual([
      ['NEXO_ERR_VALIDATION_REQUIRED', 'Bundle.entry[1].resource.performer[0].function'],
    ]);
  });
});

describe('RIA details', () => {
  it('a dose given abroad is a transcription: no lot, origin and country on the card', () => {
    const summary = riaSummary(riaTranscriptionDocument());
    expect(summary.lotNumber).toBeUndefined();
    expect(summary.transcription).toEqual({
      origin: { system: `${CS}BRRegistroOrigem`, code: '02', display: 'Vacina no Exterior' },
      country: { system: `${CS}BRPais`, code: '21', display: 'ARGENTINA' },
    });
  });

  it('BCG with BRContatoHanseniase', () => {
    const bundle = riaDocument({ vaccine: '15', dose: '9' });
    setAt(bundle, 'entry[1].resource.extension[2]', { url: `${SD}BRContatoHanseniase`, valueBoolean: false });
    const summary = riaSummary(bundle);
    expect(summary.vaccine.display).toBe('BCG');
    expect(summary.dose.display).toBe('Única');
  });

  it('RIA-R keeps the CID-10 reason of an Especial dose (reasonReference → Condition) on the card', () => {
    const document = accept(riaReasonDocument());
    expect(document.warnings).toEqual([]);
    const summary = document.summary as RiaSummary;
    expect(summary.strategy).toEqual({
      system: `${CS}BREstrategiaVacinacao`,
      code: '2',
      display: 'Especial',
    });
    expect(summary.reason).toEqual({
      condition: { system: `${CS}BRCID10`, code: 'J45', display: 'Asma' },
      category: { system: `${CS}BRCategoriaDiagnostico`, code: '01', display: 'Principal' },
      clinicalStatus: {
        system: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
        code: 'active',
        display: 'Ativo',
      },
      onset: '2019-06',
      note: 'Asma persistente; dose indicada pelo CRIE.',
    });
  });

  it('RIA-R takes the Condition as the national example sends it: no note, an onset with milliseconds', () => {
    const bundle = riaReasonDocument();
    removeAt(bundle, 'entry[2].resource.note');
    removeAt(bundle, 'entry[2].resource.clinicalStatus');
    setAt(bundle, 'entry[2].resource.onsetDateTime', '2024-03-30T14:59:51.283-03:00');
    expect(riaSummary(bundle).reason).toEqual({
      condition: { system: `${CS}BRCID10`, code: 'J45', display: 'Asma' },
      category: { system: `${CS}BRCategoriaDiagnostico`, code: '01', display: 'Principal' },
      onset: '2024-03-30T14:59:51.283-03:00',
    });
  });

  it('an Especial dose without reason or prescriber occupation is accepted, with a warning for each', () => {
    const bundle = riaReasonDocument();
    removeAt(bundle, 'entry[1].resource.reasonReference');
    removeAt(bundle, 'entry[1].resource.performer[0].function');
    bundle.entry?.pop();
    const document = accept(bundle);
    expect((document.summary as RiaSummary).reason).toBeUndefined();
    expect(document.warnings.map((w) => [w.code, w.expression])).toEqual([
      ['NEXO_ERR_BUSINESS_RULE', 'Bundle.entry[1].resource.reasonReference'],
      ['NEXO_ERR_BUSINESS_RULE', 'Bundle.entry[1].resource.performer[0].function'],
    ]);
  });

  it('RIA-R takes a dose given in a clinical study (BREstrategiaVacinacaoPesquisa-1.0)', () => {
    const document = accept(riaClinicalTrialDocument());
    expect(document.warnings).toEqual([]);
    expect((document.summary as RiaSummary).strategy?.code).toBe('1');
  });

  it('RIA 1.0 still takes the route codes of its guide (1–6), which RIA-R does not', () => {
    const legacy = riaLegacyDocument();
    setAt(legacy, 'entry[1].resource.route.coding[0].code', '2');
    expect(riaSummary(legacy).route).toEqual({
      system: `${CS}BRViaAdministracao`,
      code: '2',
      display: 'Intramuscular',
    });
  });

  it('a routine dose needs no reason: no warning', () => {
    expect(accept(riaDocument()).warnings).toEqual([]);
  });

  it('occurrenceDateTime may be a date', () => {
    expect(riaSummary(riaDocument({ date: '2025-03-10' })).occurrence).toBe('2025-03-10');
  });

  it('a date is not in the future when it is today somewhere (UTC+14) or within the clock skew', () => {
    const now = new Date('2025-06-01T12:00:00Z');
    const documentDate = '2025-06-01T09:00:00-03:00';
    expect(validator.validate(riaDocument({ date: '2025-06-02', documentDate }), { now }).ok).toBe(true);
    expect(validator.validate(riaDocument({ date: '2025-06-01T09:04:00-03:00' }), { now }).ok).toBe(true);
    expect(validator.validate(riaDocument({ date: '2025-06-01T09:06:00-03:00' }), { now }).ok).toBe(false);
  });
});

describe('citizen identifiers', () => {
  it.each([
    ['BRIndividuo CNS', SAMPLE_CITIZENS.cns, CITIZEN_IDENTIFIER_SYSTEMS.BR_INDIVIDUO],
    ['BRIndividuo provisional CNS', SAMPLE_CITIZENS.provisionalCns, CITIZEN_IDENTIFIER_SYSTEMS.BR_INDIVIDUO],
    ['BRIndividuo CPF', SAMPLE_CITIZENS.cpf, CITIZEN_IDENTIFIER_SYSTEMS.BR_INDIVIDUO],
    [
      'the newer BRIndividuo canonical',
      SAMPLE_CITIZENS.cns,
      CITIZEN_IDENTIFIER_SYSTEMS.BR_INDIVIDUO_RNDS_FHIR,
    ],
    ['RNDS cns', SAMPLE_CITIZENS.cns, CITIZEN_IDENTIFIER_SYSTEMS.RNDS_CNS],
    ['RNDS cpf', SAMPLE_CITIZENS.cpf, CITIZEN_IDENTIFIER_SYSTEMS.RNDS_CPF],
    ['BR Core cns', SAMPLE_CITIZENS.cns, CITIZEN_IDENTIFIER_SYSTEMS.BR_CORE_CNS],
    ['BR Core cpf', SAMPLE_CITIZENS.cpf, CITIZEN_IDENTIFIER_SYSTEMS.BR_CORE_CPF],
  ])('%s normalises to the same citizen id', (_name, subject, subjectSystem) => {
    expect(accept(riaDocument({ subject, subjectSystem })).subject).toEqual(subject);
  });

  it('Composition and Immunization may name the citizen under different accepted systems', () => {
    const bundle = riaDocument();
    setAt(bundle, 'entry[1].resource.patient.identifier.system', CITIZEN_IDENTIFIER_SYSTEMS.BR_CORE_CNS);
    expect(accept(bundle).subject).toEqual(SAMPLE_CITIZENS.cns);
  });
});

describe('model selection', () => {
  it.each([
    ['RIA', riaDocument(), 'RIA-R-2.0'],
    ['REL', relDocument(), 'REL-1.1'],
    ['RDM', rdmDocument(), 'RDM'],
  ] as const)('without meta.profile, type %s picks the current model', (_type, bundle, model) => {
    removeAt(bundle, 'entry[0].resource.meta');
    removeAt(bundle, 'entry[1].resource.meta');
    expect(accept(bundle).model).toBe(model);
  });

  it('a versioned canonical (|2.0) still names the model', () => {
    const bundle = riaDocument();
    setAt(
      bundle,
      'entry[0].resource.meta.profile[0]',
      `${SD}BRRegistroImunobiologicoAdministradoRotina-2.0|2.0`,
    );
    expect(accept(bundle).model).toBe('RIA-R-2.0');
  });
});

describe('retificação and cancellation', () => {
  it('a replacement carries the replaced record id', () => {
    const document = accept(riaDocument({ replaces: '01JQ7Z8X4K' }));
    expect(document.status).toBe('final');
    expect(document.replaces).toBe('01JQ7Z8X4K');
  });

  it('a cancellation is entered-in-error with relatesTo', () => {
    const document = accept(relDocument({ replaces: 'abc-123', status: 'entered-in-error' }));
    expect(document.status).toBe('entered-in-error');
    expect(document.replaces).toBe('abc-123');
  });
});

describe('REL details', () => {
  it('a quantitative result with interpretation, UCUM unit and a v2-0487 specimen', () => {
    const { summary } = accept(relDocument({ value: 'quantitative' }));
    expect(summary.recordType === 'REL' && summary.results[0]).toEqual(
      expect.objectContaining({
        value: {
          kind: 'quantitative',
          value: 12.5,
          unit: 'U/mL',
          ucum: 'U/mL',
          interpretation: { system: `${CS}BRResultadoQualitativoExame`, code: '1', display: 'Detectável' },
        },
        specimen: {
          type: { system: 'http://terminology.hl7.org/CodeSystem/v2-0487', code: 'SER' },
          collected: '2025-02-10',
        },
      }),
    );
  });

  it('effective[x] is accepted with a warning naming it', () => {
    const bundle = relDocument({ model: 'REL-1.0' });
    setAt(bundle, 'entry[1].resource.effectiveDateTime', '2025-02-10');
    expect(accept(bundle).warnings).toEqual([
      expect.objectContaining({
        code: 'NEXO_ERR_VALIDATION_PROFILE',
        severity: 'warning',
        expression: 'Bundle.entry[1].resource.effectiveDateTime',
      }),
    ]);
  });

  it('a GAL exam code and a laboratory author by CNPJ', () => {
    const bundle = relDocument();
    setAt(bundle, 'entry[1].resource.code.coding[0]', { system: `${CS}BRNomeExameGAL`, code: 'COVID' });
    setAt(bundle, 'entry[0].resource.author[0].identifier', {
      system: `${SD}BRPessoaJuridicaProfissionalLiberal-1.0`,
      value: '11222333000181',
    });
    const document = accept(bundle);
    expect(document.author).toEqual({ kind: 'CNPJ', number: '11222333000181' });
    expect(document.summary.recordType === 'REL' && document.summary.results[0]?.exam.code).toBe('COVID');
  });

  it('a performer by CNES, or under BRPessoaJuridicaProfissionalLiberal by CNPJ, CNS or CNES as the national example has it', () => {
    for (const identifier of [
      { system: `${SD}BREstabelecimentoSaude-1.0`, value: '9990022' },
      { system: 'https://saude.gov.br/sid/cnes', value: '9990022' },
      { system: `${SD}BRPessoaJuridicaProfissionalLiberal-1.0`, value: '9990022' },
      { system: `${SD}BRPessoaJuridicaProfissionalLiberal-1.0`, value: '11222333000181' },
      { system: `${SD}BRPessoaJuridicaProfissionalLiberal-1.0`, value: '12ABC34501DE35' },
      { system: `${SD}BRPessoaJuridicaProfissionalLiberal-1.0`, value: '146089735210007' },
    ]) {
      const bundle = relDocument();
      setAt(bundle, 'entry[1].resource.performer[0].identifier', identifier);
      expect(accept(bundle).recordType, identifier.value).toBe('REL');
    }
  });

  it('two Observations sharing one Specimen give two results', () => {
    const bundle = relDocument();
    const observation = structuredClone(bundle.entry?.[1]);
    bundle.entry?.push({ ...observation, fullUrl: 'urn:uuid:transient-3' });
    setAt(bundle, 'entry[0].resource.section[0].entry[1]', { reference: 'urn:uuid:transient-3' });
    const { summary } = accept(bundle);
    expect(summary.recordType === 'REL' && summary.results).toHaveLength(2);
  });
});

describe('RDM details', () => {
  it('price, usage guidance (note) and a Farmácia Popular dispensation', () => {
    const { summary } = accept(
      rdmDocument({ price: 12.3, dosageText: '1 comprimido ao dia', programme: '02' }),
    );
    expect(summary.recordType === 'RDM' && summary.dispensations[0]).toEqual(
      expect.objectContaining({
        price: 12.3,
        dosageText: '1 comprimido ao dia',
        programme: expect.objectContaining({ code: '02' }),
      }),
    );
  });

  it('the optional elements of the national guide’s dispensation example, each at most once', () => {
    const bundle = rdmDocument({ price: 10 });
    setAt(bundle, 'entry[1].resource.extension[1].extension[1]', {
      url: 'productValueMinistryOfHealth',
      valueMoney: { value: 10 },
    });
    setAt(bundle, 'entry[1].resource.authorizingPrescription', [
      {
        identifier: {
          system: 'http://www.saude.gov.br/fhir/r4/NamingSystem/BRRNDS-1030',
          value: '1234567890',
        },
      },
    ]);
    setAt(bundle, 'entry[1].resource.receiver', [
      { identifier: { system: `${SD}BRIndividuo-1.0`, value: '93273918454' } },
    ]);
    setAt(bundle, 'entry[1].resource.note', [{ time: '2025-03-30', text: 'Tomar após as refeições.' }]);
    setAt(bundle, 'entry[2].resource.extension', [
      { url: `${SD}BRCodigoSerialMedicamento`, valueString: '12345678910' },
    ]);
    setAt(bundle, 'entry[2].resource.code.text', 'Terminologia segundo CATMAT');
    setAt(bundle, 'entry[2].resource.batch', { lotNumber: 'L2025A', expirationDate: '2026-12-31' });
    const { summary } = accept(bundle);
    expect(summary.recordType === 'RDM' && summary.dispensations[0]).toEqual(
      expect.objectContaining({ price: 10, dosageText: 'Tomar após as refeições.' }),
    );
  });

  it.each([
    ['BRObmEAN', '7896241221853'],
    ['BRObmANVISA', '1236100020010'],
    ['BRObmAMPP', '@brasil13342631339'],
    ['BRObmVMP', '@brasil12070954154'],
    ['BRObmCATMAT', 'BR0266532-1'],
    ['BRObmCATMAT', 'BR0267418 -1'],
  ])('a %s code of the right shape (%s) keeps the sender display', (system, code) => {
    const bundle = rdmDocument({
      medication: { system: `${CS}${system}`, code, display: 'Losartana 50 mg' },
    });
    const { summary } = accept(bundle);
    expect(summary.recordType === 'RDM' && summary.dispensations[0]?.medication).toEqual({
      system: `${CS}${system}`,
      code,
      display: 'Losartana 50 mg',
    });
  });
});

describe('the validator', () => {
  it('lists the profiles and code systems it loaded', () => {
    expect(validator.profiles).toContain(`${SD}BRImunobiologicoAdministrado-3.0`);
    expect(validator.profiles).toHaveLength(16);
    expect(validator.profiles).toContain(`${SD}BRCID10Avaliado-1.0`);
    expect(validator.codeSystems).toContainEqual({
      system: `${CS}BRDose`,
      version: '1.0.0-release',
      codes: 82,
    });
    expect(validator.codeSystems).toContainEqual({
      system: `${CS}BRCID10`,
      version: '1.0.0-release',
      codes: 14230,
    });
  });

  it('tells the resource type each profile constrains, the one its schema fixes resourceType to', () => {
    const dir = new URL('../../../schemas/profiles/', import.meta.url);
    const fixedType = new Map(
      readdirSync(dir)
        .filter((name) => name.startsWith('BR'))
        .map((name) => {
          const schema = JSON.parse(readFileSync(new URL(name, dir), 'utf8')) as {
            $id: string;
            properties: { resourceType: { const: string } };
          };
          return [schema.$id, schema.properties.resourceType.const];
        }),
    );
    expect(new Map(validator.profiles.map((p) => [p, profileBaseType(p)]))).toEqual(fixedType);
    expect(profileBaseType(`${SD}BRImunobiologicoAdministrado-3.0`)).toBe('Immunization');
    expect(profileBaseType(`${SD}BRIndividuo-1.0`)).toBeUndefined();
  });

  it.each([
    ['not json', 'hello'],
    ['null', null],
    ['an array', []],
  ])('rejects %s as a structure problem at Bundle', (_name, input) => {
    const result = validator.validate(input, NOW);
    expect(result.ok ? [] : result.problems.map((p) => [p.code, p.expression])).toEqual([
      ['NEXO_ERR_VALIDATION_STRUCTURE', 'Bundle'],
    ]);
  });

  it('fails at start-up when a folder lacks what the models need', () => {
    expect(() => createDocumentValidator({ profilesDir: new URL('.', import.meta.url).pathname })).toThrow(
      /no JSON Schema with \$id/,
    );
  });
});
