import { CATALOGUE_SYSTEMS, CODE_SYSTEMS, UCUM } from '../canonical.ts';
import type { Coded, RelResult, RelSummary, RelValue } from '../document.ts';
import { arrayAt, firstCoding, numberAt, objectAt, objectIn, stringAt } from '../json.ts';
import { siteOf, type Entry, type RuleContext } from '../rules/context.ts';
import { checkRecordDate } from '../rules/dates.ts';
import { checkRelPerformer } from '../rules/rel-performer.ts';
import { checkText } from '../rules/texts.ts';
import type { Envelope } from '../rules/envelope.ts';
import type { ResolveReference } from '../rules/references.ts';
import { codedFromCoding } from '../terminology/bindings.ts';
import { defined } from './defined.ts';

type SpecimenFacts = RelResult['specimen'];

/** effective[x] is forbidden by the profile, but the portal text disagrees: a warning, not an error. */
const EFFECTIVE = ['effectiveDateTime', 'effectivePeriod', 'effectiveTiming', 'effectiveInstant'] as const;

const readSpecimen = (ctx: RuleContext, entry: Entry): SpecimenFacts | undefined => {
  const type = codedFromCoding(ctx, siteOf(entry, '.type.coding[0]'), firstCoding(entry.resource.type), [
    CATALOGUE_SYSTEMS.HL7_SPECIMEN_TYPE,
    CODE_SYSTEMS.TIPO_AMOSTRA_GAL,
  ]);
  const collected = stringAt(objectAt(entry.resource, 'collection'), 'collectedDateTime');
  checkRecordDate(ctx, siteOf(entry, '.collection.collectedDateTime'), collected, 'dayOrDateTime');
  return type === undefined ? undefined : defined({ type, collected });
};

/** valueCodeableConcept without interpretation, or valueQuantity with interpretation. */
const readValue = (ctx: RuleContext, entry: Entry): RelValue | undefined => {
  const observation = entry.resource;
  const quantity = objectAt(observation, 'valueQuantity');
  const concept = objectAt(observation, 'valueCodeableConcept');
  const hasInterpretation = observation.interpretation !== undefined;
  const results = [CODE_SYSTEMS.RESULTADO_QUALITATIVO_EXAME];
  if (quantity === undefined && concept === undefined) {
    // Another value[x] (valueString, …) or a malformed one is reported by the schema.
    if (!Object.keys(observation).some((key) => key.startsWith('value'))) {
      ctx.problems.error(
        'NEXO_ERR_VALIDATION_REQUIRED',
        `${entry.path}.value`,
        'Observation.value[x] is required: valueCodeableConcept (a qualitative result) or valueQuantity (a number, with interpretation).',
      );
    }
    return undefined;
  }
  if (quantity !== undefined && concept !== undefined) {
    ctx.problems.error(
      'NEXO_ERR_VALIDATION_PROFILE',
      `${entry.path}.valueQuantity`,
      'Observation has both valueCodeableConcept and valueQuantity: send only one value[x].',
    );
    return undefined;
  }
  if (concept !== undefined) {
    if (hasInterpretation) {
      ctx.problems.error(
        'NEXO_ERR_VALIDATION_PROFILE',
        `${entry.path}.interpretation`,
        'Observation.interpretation is not allowed with valueCodeableConcept: the qualitative result is the value itself.',
      );
    }
    const result = codedFromCoding(
      ctx,
      siteOf(entry, '.valueCodeableConcept.coding[0]'),
      firstCoding(concept),
      results,
    );
    return result && { kind: 'qualitative', result };
  }
  if (!hasInterpretation) {
    ctx.problems.error(
      'NEXO_ERR_VALIDATION_REQUIRED',
      `${entry.path}.interpretation`,
      'Observation.interpretation is required with valueQuantity (BRResultadoQualitativoExame: 1 Detectável, 2 Não detectável, 3 Inconclusivo).',
    );
  }
  const interpretation = codedFromCoding(
    ctx,
    siteOf(entry, '.interpretation[0].coding[0]'),
    firstCoding(objectIn(arrayAt(observation, 'interpretation'), 0)),
    results,
  );
  const value = numberAt(quantity, 'value');
  const unit = stringAt(quantity, 'unit');
  const ucum = stringAt(quantity, 'system') === UCUM ? stringAt(quantity, 'code') : undefined;
  checkText(ctx.problems, siteOf(entry, '.valueQuantity.unit'), unit, 'code');
  checkText(ctx.problems, siteOf(entry, '.valueQuantity.code'), ucum, 'code');
  if (value === undefined || unit === undefined || interpretation === undefined) return undefined;
  return defined<RelValue>({ kind: 'quantitative', value, unit, ucum, interpretation });
};

const readObservation = (
  ctx: RuleContext,
  entry: Entry,
  resolve: ResolveReference,
  specimens: ReadonlyMap<number, SpecimenFacts | undefined>,
): RelResult | undefined => {
  const observation = entry.resource;
  const category: Coded | undefined = codedFromCoding(
    ctx,
    siteOf(entry, '.category[0].coding[0]'),
    firstCoding(objectIn(arrayAt(observation, 'category'), 0)),
    [CODE_SYSTEMS.SUBGRUPO_TABELA_SUS],
  );
  const exam = codedFromCoding(ctx, siteOf(entry, '.code.coding[0]'), firstCoding(observation.code), [
    CODE_SYSTEMS.NOME_EXAME_LOINC,
    CODE_SYSTEMS.NOME_EXAME_GAL,
  ]);
  const issued = stringAt(observation, 'issued');
  checkRecordDate(ctx, siteOf(entry, '.issued'), issued, 'instant');
  for (const key of EFFECTIVE) {
    if (observation[key] === undefined) continue;
    ctx.problems.warning(
      'NEXO_ERR_VALIDATION_PROFILE',
      `${entry.path}.${key}`,
      `Observation.${key}: BRDiagnosticoLaboratorioClinico-1.0 forbids effective[x]; the hub accepts the document but ignores it (issued dates the result).`,
    );
  }
  checkRelPerformer(ctx, entry);
  const value = readValue(ctx, entry);
  const method = stringAt(objectAt(observation, 'method'), 'text');
  checkText(ctx.problems, siteOf(entry, '.method.text'), method, 'text');
  const referenceRange = stringAt(objectIn(arrayAt(observation, 'referenceRange'), 0), 'text');
  checkText(ctx.problems, siteOf(entry, '.referenceRange[0].text'), referenceRange, 'text');
  const specimenEntry = resolve(stringAt(objectAt(observation, 'specimen'), 'reference'));
  const specimen = specimenEntry === undefined ? undefined : specimens.get(specimenEntry.index);
  if (!category || !exam || !issued || !value || !method || !referenceRange || !specimen) return undefined;
  return { exam, category, issued, method, referenceRange, value, specimen };
};

/** Checks every Observation and Specimen of an REL document and extracts the results. */
export const readRel = (
  ctx: RuleContext,
  envelope: Envelope,
  resolve: ResolveReference,
): RelSummary | undefined => {
  const specimens = new Map<number, SpecimenFacts | undefined>();
  for (const entry of envelope.entries) {
    if (entry.resourceType === 'Specimen') specimens.set(entry.index, readSpecimen(ctx, entry));
  }
  const results: RelResult[] = [];
  let complete = true;
  for (const entry of envelope.entries) {
    if (entry.resourceType !== 'Observation') continue;
    const result = readObservation(ctx, entry, resolve, specimens);
    if (result) results.push(result);
    else complete = false;
  }
  return complete && results.length > 0 ? { recordType: 'REL', results } : undefined;
};
