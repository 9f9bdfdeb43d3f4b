import { isValidCns } from '@nexo/identifiers';
import { CODE_SYSTEMS, EXTENSIONS } from '../canonical.ts';
import type { Coded, DocumentModel, RiaSummary } from '../document.ts';
import { arrayAt, firstCoding, objectAt, objectIn, stringAt } from '../json.ts';
import { child, siteOf, type Entry, type RuleContext } from '../rules/context.ts';
import { checkRecordDate } from '../rules/dates.ts';
import type { ResolveReference } from '../rules/references.ts';
import { checkText } from '../rules/texts.ts';
import { codedFromCode, codedFromCoding, codedFromIdentifier } from '../terminology/bindings.ts';
import { checkClinicalTrial } from './clinical-trial.ts';
import { defined } from './defined.ts';
import { warnEspecialStrategyGaps } from './especial-strategy.ts';
import { codedExtension, forbidExtension, onlyExtensions, singleExtension } from './extensions.ts';
import { readManufacturer, type ManufacturerNaming } from './manufacturer.ts';
import { readReason } from './reason.ts';
import { readRoute } from './route.ts';

type RiaModel = Extract<DocumentModel, `RIA${string}`>;

/** What differs between the RIA models beyond what their schemas say. */
interface RiaRules {
  /** RIA 1.0: Composition.category from BRModalidadeAssistencial. */
  readonly compositionCategory: boolean;
  /**
   * BRGrupoAtendimento and BRCondicaoMaternal. The earlier national guide's RIA 1.0 Immunization
   * defines neither (they came with the campaign models), so its documents are taken without them.
   */
  readonly grupoAtendimentoRequired: boolean;
  readonly condicaoMaternalRequired: boolean;
  readonly strategy: 'required' | 'optional' | 'forbidden';
  /** BCG (vaccine 15) needs BRContatoHanseniase (an extension of the national RIA guide only). */
  readonly bcgNeedsHanseniase: boolean;
  /** RIA-C 2.0: the extensions are exactly BRGrupoAtendimento and BRCondicaoMaternal. */
  readonly onlyGroupAndCondition: boolean;
  /**
   * RIA-R: a dose may be a transcription (primarySource false, reportOrigin, location), without a lot
   * number. The other models' guides leave those elements out and require the lot (in their schemas).
   */
  readonly transcription: boolean;
  readonly manufacturer: ManufacturerNaming;
  /** RIA-R: reasonReference names a BRCID10Avaliado-1.0 Condition entry, kept on the card. */
  readonly reasonCondition: boolean;
  /** RIA-R: protocolApplied may carry BREstrategiaVacinacaoPesquisa-1.0 (a dose in a clinical study). */
  readonly clinicalTrial: boolean;
  /** RIA-R: the route is one of the current guide's codes, not RIA 1.0's 1–6. */
  readonly currentRouteCodes: boolean;
}

const RIA_RULES: Readonly<Record<RiaModel, RiaRules>> = {
  'RIA-R-2.0': {
    compositionCategory: false,
    grupoAtendimentoRequired: true,
    condicaoMaternalRequired: true,
    strategy: 'required',
    bcgNeedsHanseniase: true,
    onlyGroupAndCondition: false,
    transcription: true,
    manufacturer: 'identifier',
    reasonCondition: true,
    clinicalTrial: true,
    currentRouteCodes: true,
  },
  'RIA-1.0': {
    compositionCategory: true,
    grupoAtendimentoRequired: false,
    condicaoMaternalRequired: false,
    strategy: 'optional',
    bcgNeedsHanseniase: false,
    onlyGroupAndCondition: false,
    transcription: false,
    manufacturer: 'identifierOrReference',
    reasonCondition: false,
    clinicalTrial: false,
    currentRouteCodes: false,
  },
  'RIA-C-1.0': {
    compositionCategory: false,
    grupoAtendimentoRequired: true,
    condicaoMaternalRequired: false,
    strategy: 'optional',
    bcgNeedsHanseniase: false,
    onlyGroupAndCondition: false,
    transcription: false,
    manufacturer: 'reference',
    reasonCondition: false,
    clinicalTrial: false,
    currentRouteCodes: false,
  },
  'RIA-C-2.0': {
    compositionCategory: false,
    grupoAtendimentoRequired: true,
    condicaoMaternalRequired: true,
    strategy: 'forbidden',
    bcgNeedsHanseniase: false,
    onlyGroupAndCondition: true,
    transcription: false,
    manufacturer: 'identifier',
    reasonCondition: false,
    clinicalTrial: false,
    currentRouteCodes: false,
  },
};

const BCG = '15';

interface Transcription {
  readonly transcribed: boolean;
  readonly origin?: Coded;
  readonly country?: Coded;
}

const NOT_TRANSCRIBED: Transcription = { transcribed: false };

/** primarySource false marks a transcription (paper card or abroad) and needs reportOrigin. */
const readTranscription = (ctx: RuleContext, entry: Entry): Transcription => {
  const transcribed = entry.resource.primarySource === false;
  const reportOrigin = objectAt(entry.resource, 'reportOrigin');
  if (reportOrigin !== undefined && !transcribed) {
    ctx.problems.error(
      'NEXO_ERR_BUSINESS_RULE',
      `${entry.path}.primarySource`,
      'Immunization.primarySource must be false when reportOrigin is sent: reportOrigin marks a transcribed dose or one given abroad.',
    );
  }
  if (transcribed && reportOrigin === undefined) {
    ctx.problems.error(
      'NEXO_ERR_VALIDATION_REQUIRED',
      `${entry.path}.reportOrigin`,
      'Immunization.reportOrigin is required when primarySource is false (BRRegistroOrigem 01 transcription from a card, 02 given abroad).',
    );
  }
  const origin = codedFromCoding(ctx, siteOf(entry, '.reportOrigin.coding[0]'), firstCoding(reportOrigin), [
    CODE_SYSTEMS.REGISTRO_ORIGEM,
  ]);
  const location = objectAt(objectAt(entry.resource, 'location'), 'identifier');
  const country = codedFromIdentifier(ctx, siteOf(entry, '.location.identifier'), location, [
    CODE_SYSTEMS.PAIS,
  ]);
  return { transcribed, origin, country };
};

/** The one performer: `Practitioner/<CNS>` with a valid CNS, and its function (BRCBO). */
const readPerformer = (ctx: RuleContext, entry: Entry): Coded | undefined => {
  const performer = objectIn(arrayAt(entry.resource, 'performer'), 0);
  const reference = stringAt(objectAt(performer, 'actor'), 'reference');
  const cns = /^Practitioner\/([0-9]{15})$/.exec(reference ?? '')?.[1];
  if (cns !== undefined && !isValidCns(cns)) {
    const site = siteOf(entry, '.performer[0].actor.reference');
    ctx.problems.error(
      'NEXO_ERR_VALIDATION_IDENTIFIER',
      site.path,
      `${site.label} must carry the CNS of the professional after "Practitioner/": those 15 digits are not a valid CNS.`,
    );
  }
  const site = siteOf(entry, '.performer[0].function.coding[0]');
  return codedFromCoding(ctx, site, firstCoding(performer?.function), [CODE_SYSTEMS.CBO]);
};

/** The one protocolApplied: the dose (BRDose) and, where the model has it, the strategy. */
const readProtocol = (
  ctx: RuleContext,
  entry: Entry,
  rules: RiaRules,
): { strategy?: Coded; dose?: Coded } => {
  const protocol = objectIn(arrayAt(entry.resource, 'protocolApplied'), 0);
  const owner = siteOf(entry, '.protocolApplied[0]');
  const url = EXTENSIONS.ESTRATEGIA_VACINACAO;
  const dose = codedFromCode(
    ctx,
    child(owner, '.doseNumberString'),
    protocol?.doseNumberString,
    CODE_SYSTEMS.DOSE,
  );
  if (rules.strategy === 'forbidden') {
    forbidExtension(ctx, owner, protocol, url, 'BRImunobiologicoAdministradoCampanha-2.0');
    return { dose };
  }
  const missing = rules.strategy === 'required' ? 'NEXO_ERR_VALIDATION_REQUIRED' : undefined;
  if (rules.clinicalTrial) checkClinicalTrial(ctx, owner, protocol);
  return {
    strategy: codedExtension(ctx, owner, protocol, url, missing, CODE_SYSTEMS.ESTRATEGIA_VACINACAO),
    dose,
  };
};

/**
 * Checks an RIA Immunization (with the RIA 1.0 Composition category and the RIA-R reason Condition)
 * and extracts the card's facts.
 */
export const readRia = (
  ctx: RuleContext,
  model: RiaModel,
  composition: Entry,
  entry: Entry,
  resolve: ResolveReference,
): RiaSummary | undefined => {
  const rules = RIA_RULES[model];
  const immunization = entry.resource;
  const owner = siteOf(entry, '');
  if (rules.compositionCategory) {
    const category = objectIn(arrayAt(composition.resource, 'category'), 0);
    codedFromCoding(ctx, siteOf(composition, '.category[0].coding[0]'), firstCoding(category), [
      CODE_SYSTEMS.MODALIDADE_ASSISTENCIAL,
    ]);
  }
  const vaccine = codedFromCoding(
    ctx,
    siteOf(entry, '.vaccineCode.coding[0]'),
    firstCoding(immunization.vaccineCode),
    [CODE_SYSTEMS.IMUNOBIOLOGICO],
  );
  const required = 'NEXO_ERR_VALIDATION_REQUIRED';
  const group = codedExtension(
    ctx,
    owner,
    immunization,
    EXTENSIONS.GRUPO_ATENDIMENTO,
    rules.grupoAtendimentoRequired ? required : undefined,
    CODE_SYSTEMS.GRUPO_ATENDIMENTO,
  );
  const maternal = rules.condicaoMaternalRequired ? required : undefined;
  codedExtension(
    ctx,
    owner,
    immunization,
    EXTENSIONS.CONDICAO_MATERNAL,
    maternal,
    CODE_SYSTEMS.CONDICAO_MATERNAL,
  );
  if (rules.bcgNeedsHanseniase && vaccine?.code === BCG) {
    const why = ' (valueBoolean) when the vaccine is 15 (BCG)';
    singleExtension(ctx, owner, immunization, EXTENSIONS.CONTATO_HANSENIASE, 'NEXO_ERR_BUSINESS_RULE', why);
  }
  if (rules.onlyGroupAndCondition) {
    const allowed = [EXTENSIONS.GRUPO_ATENDIMENTO, EXTENSIONS.CONDICAO_MATERNAL];
    onlyExtensions(ctx, owner, immunization, allowed, 'BRImunobiologicoAdministradoCampanha-2.0');
  }
  const occurrence = stringAt(immunization, 'occurrenceDateTime');
  checkRecordDate(ctx, siteOf(entry, '.occurrenceDateTime'), occurrence, 'dayOrDateTime');
  const transcription = rules.transcription ? readTranscription(ctx, entry) : NOT_TRANSCRIBED;
  const lotNumber = stringAt(immunization, 'lotNumber');
  checkText(ctx.problems, siteOf(entry, '.lotNumber'), lotNumber, 'code');
  if (rules.transcription && !transcription.transcribed && immunization.lotNumber === undefined) {
    ctx.problems.error(
      'NEXO_ERR_VALIDATION_REQUIRED',
      `${entry.path}.lotNumber`,
      'Immunization.lotNumber is required, except for transcriptions (primarySource false with reportOrigin).',
    );
  }
  const site = codedFromCoding(ctx, siteOf(entry, '.site.coding[0]'), firstCoding(immunization.site), [
    CODE_SYSTEMS.LOCAL_APLICACAO,
  ]);
  const route = readRoute(ctx, entry, rules.currentRouteCodes);
  const performerFunction = readPerformer(ctx, entry);
  const { strategy, dose } = readProtocol(ctx, entry, rules);
  const manufacturer = readManufacturer(ctx, entry, rules.manufacturer);
  const reason = rules.reasonCondition ? readReason(ctx, entry, resolve) : undefined;
  if (rules.reasonCondition) warnEspecialStrategyGaps(ctx, entry, strategy);
  if (vaccine === undefined || dose === undefined || occurrence === undefined) return undefined;
  const { origin, country } = transcription;
  return defined<RiaSummary>({
    recordType: 'RIA',
    vaccine,
    dose,
    occurrence,
    lotNumber,
    manufacturer,
    site,
    route,
    strategy,
    group,
    performerFunction,
    transcription: transcription.transcribed && origin ? defined({ origin, country }) : undefined,
    reason,
  });
};
