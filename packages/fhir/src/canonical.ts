/** Canonical URLs of the national models, in one place. `SD` and `CS` as in PROFILES.md. */
export const SD = 'http://www.saude.gov.br/fhir/r4/StructureDefinition/';
export const CS = 'http://www.saude.gov.br/fhir/r4/CodeSystem/';

/** `Bundle.identifier.system` is this prefix followed by the sender's solicitante id. */
export const SOLICITANTE_SYSTEM_PREFIX = 'http://www.saude.gov.br/fhir/r4/NamingSystem/BRRNDS-';

export const PROFILES = {
  RIA_R_COMPOSITION: `${SD}BRRegistroImunobiologicoAdministradoRotina-2.0`,
  RIA_R_IMMUNIZATION: `${SD}BRImunobiologicoAdministrado-3.0`,
  /** The CID-10 condition an RIA-R Immunization names as its reason (reasonReference). */
  RIA_R_REASON_CONDITION: `${SD}BRCID10Avaliado-1.0`,
  RIA_COMPOSITION_1_0: `${SD}BRRegistroImunobiologicoAdministrado-1.0`,
  RIA_IMMUNIZATION_1_0: `${SD}BRImunobiologicoAdministrado-1.0`,
  RIA_C_COMPOSITION_1_0: `${SD}BRRegistroImunobiologicoAdministradoCampanha-1.0`,
  RIA_C_IMMUNIZATION_1_0: `${SD}BRImunobiologicoAdministradoCampanha-1.0`,
  RIA_C_COMPOSITION_2_0: `${SD}BRRegistroImunobiologicoAdministradoCampanha-2.0`,
  RIA_C_IMMUNIZATION_2_0: `${SD}BRImunobiologicoAdministradoCampanha-2.0`,
  REL_COMPOSITION_1_1: `${SD}BRResultadoExameLaboratorial-1.1`,
  REL_COMPOSITION_1_0: `${SD}BRResultadoExameLaboratorial-1.0`,
  REL_OBSERVATION: `${SD}BRDiagnosticoLaboratorioClinico-1.0`,
  REL_SPECIMEN: `${SD}BRAmostraBiologica-1.0`,
  RDM_COMPOSITION: `${SD}BRRegistroDispensacaoMedicamento`,
  RDM_MEDICATION_DISPENSE: `${SD}BRDispensacaoMedicamento`,
  RDM_MEDICATION: `${SD}BRMedicamento`,
} as const;

export const EXTENSIONS = {
  GRUPO_ATENDIMENTO: `${SD}BRGrupoAtendimento`,
  CONDICAO_MATERNAL: `${SD}BRCondicaoMaternal`,
  CONTATO_HANSENIASE: `${SD}BRContatoHanseniase`,
  ESTRATEGIA_VACINACAO: `${SD}BREstrategiaVacinacao-1.0`,
  ESTRATEGIA_VACINACAO_PESQUISA: `${SD}BREstrategiaVacinacaoPesquisa-1.0`,
  DATA_PRESCRICAO: `${SD}BRDataPrescricao`,
  VALOR_MEDICAMENTO: `${SD}BRValorMedicamento`,
} as const;

/** Identifier systems for senders other than an establishment (REL authors, RDM professionals). */
export const PARTY_SYSTEMS = {
  PESSOA_JURIDICA_PROFISSIONAL_LIBERAL: `${SD}BRPessoaJuridicaProfissionalLiberal-1.0`,
  PROFISSIONAL: `${SD}BRProfissional-1.0`,
} as const;

/** Code systems shipped as data in schemas/terminology and bound by the models. */
export const CODE_SYSTEMS = {
  TIPO_DOCUMENTO: `${CS}BRTipoDocumento`,
  MODALIDADE_ASSISTENCIAL: `${CS}BRModalidadeAssistencial`,
  IMUNOBIOLOGICO: `${CS}BRImunobiologico`,
  GRUPO_ATENDIMENTO: `${CS}BRGrupoAtendimento`,
  CONDICAO_MATERNAL: `${CS}BRCondicaoMaternal`,
  LOCAL_APLICACAO: `${CS}BRLocalAplicacao`,
  VIA_ADMINISTRACAO: `${CS}BRViaAdministracao`,
  FABRICANTE_PNI: `${CS}BRFabricantePNI`,
  REGISTRO_ORIGEM: `${CS}BRRegistroOrigem`,
  PAIS: `${CS}BRPais`,
  CBO: `${CS}BRCBO`,
  ESTRATEGIA_VACINACAO: `${CS}BREstrategiaVacinacao`,
  DOSE: `${CS}BRDose`,
  CID10: `${CS}BRCID10`,
  CATEGORIA_DIAGNOSTICO: `${CS}BRCategoriaDiagnostico`,
  /** HL7's condition-clinical, as the national value set BREstadoResolucaoDiagnosticoProblema-1.0 takes it. */
  CONDITION_CLINICAL: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  SUBGRUPO_TABELA_SUS: `${CS}BRSubgrupoTabelaSUS`,
  NOME_EXAME_LOINC: `${CS}BRNomeExameLOINC`,
  NOME_EXAME_GAL: `${CS}BRNomeExameGAL`,
  RESULTADO_QUALITATIVO_EXAME: `${CS}BRResultadoQualitativoExame`,
  TIPO_AMOSTRA_GAL: `${CS}BRTipoAmostraGAL`,
  MODALIDADE_FINANCEIRA: `${CS}BRModalidadeFinanceira`,
  UNIDADE_MEDIDA: `${CS}BRUnidadeMedida`,
} as const;

/** Code systems bound by the models but too large to ship (or not national data); see CATALOGUE_SHAPES. */
export const CATALOGUE_SYSTEMS = {
  OBM_CATMAT: `${CS}BRObmCATMAT`,
  OBM_EAN: `${CS}BRObmEAN`,
  OBM_ANVISA: `${CS}BRObmANVISA`,
  OBM_AMPP: `${CS}BRObmAMPP`,
  OBM_VMP: `${CS}BRObmVMP`,
  HL7_SPECIMEN_TYPE: 'http://terminology.hl7.org/CodeSystem/v2-0487',
} as const;

export const UCUM = 'http://unitsofmeasure.org';

/** The name at the end of a canonical URL, for messages: `…/BRImunobiologicoAdministrado-3.0` → `BRImunobiologicoAdministrado-3.0`. */
export const canonicalName = (url: string): string => url.slice(url.lastIndexOf('/') + 1);

/** A canonical without its `|version` suffix. */
export const withoutVersion = (canonical: string): string => {
  const bar = canonical.indexOf('|');
  return bar === -1 ? canonical : canonical.slice(0, bar);
};
