import { CODE_SYSTEMS } from '../canonical.ts';
import type { RiaReason } from '../document.ts';
import { arrayAt, firstCoding, objectIn, stringAt } from '../json.ts';
import { siteOf, type Entry, type RuleContext } from '../rules/context.ts';
import { checkRecordDate } from '../rules/dates.ts';
import type { ResolveReference } from '../rules/references.ts';
import { checkText } from '../rules/texts.ts';
import { codedFromCoding } from '../terminology/bindings.ts';
import { defined } from './defined.ts';

/**
 * The Condition entry Immunization.reasonReference names. A reference that does not resolve, or
 * resolves to another type, is reported by the reference rules.
 */
const conditionOf = (immunization: Entry, resolve: ResolveReference): Entry | undefined => {
  const reason = objectIn(arrayAt(immunization.resource, 'reasonReference'), 0);
  const target = resolve(stringAt(reason, 'reference'));
  return target?.resourceType === 'Condition' ? target : undefined;
};

/**
 * Checks the BRCID10Avaliado-1.0 Condition an RIA-R Immunization gives as its reason and reads it
 * for the card: the code from BRCID10, the category from BRCategoriaDiagnostico and the clinical
 * status from the national value set over HL7 condition-clinical (all required bindings), an onset
 * that is not in the future, and the note's text, bounded as the card keeps it. The schema has
 * checked the rest of the profile, and the subject rules that it names the document's citizen.
 */
export const readReason = (
  ctx: RuleContext,
  immunization: Entry,
  resolve: ResolveReference,
): RiaReason | undefined => {
  const entry = conditionOf(immunization, resolve);
  if (entry === undefined) return undefined;
  const condition = entry.resource;
  const code = codedFromCoding(ctx, siteOf(entry, '.code.coding[0]'), firstCoding(condition.code), [
    CODE_SYSTEMS.CID10,
  ]);
  const category = codedFromCoding(
    ctx,
    siteOf(entry, '.category[0].coding[0]'),
    firstCoding(objectIn(arrayAt(condition, 'category'), 0)),
    [CODE_SYSTEMS.CATEGORIA_DIAGNOSTICO],
  );
  const clinicalStatus = codedFromCoding(
    ctx,
    siteOf(entry, '.clinicalStatus.coding[0]'),
    firstCoding(condition.clinicalStatus),
    [CODE_SYSTEMS.CONDITION_CLINICAL],
  );
  const onset = stringAt(condition, 'onsetDateTime');
  checkRecordDate(ctx, siteOf(entry, '.onsetDateTime'), onset, 'dateTime');
  const note = stringAt(objectIn(arrayAt(condition, 'note'), 0), 'text');
  checkText(ctx.problems, siteOf(entry, '.note[0].text'), note, 'text');
  if (code === undefined) return undefined;
  return defined<RiaReason>({ condition: code, category, clinicalStatus, onset, note });
};
