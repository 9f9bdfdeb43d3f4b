import { CODE_SYSTEMS } from '../canonical.ts';
import type { Coded } from '../document.ts';
import { firstCoding } from '../json.ts';
import { siteOf, type Entry, type RuleContext } from '../rules/context.ts';
import { codedFromCoding } from '../terminology/bindings.ts';

/**
 * Route codes only the earlier national guide (RIA 1.0) has. BRViaAdministracao ships as the union
 * of both guides so that RIA 1.0 history still reads; the current guide binds RIA-R's route to its
 * value set BRViaAdministracao-1.0, every code of its own code system, which has none of these.
 */
const RIA_1_0_ONLY: ReadonlySet<string> = new Set(['1', '2', '3', '4', '5', '6']);

/** Immunization.route: one coding of BRViaAdministracao, of the current codes when `currentOnly`. */
export const readRoute = (ctx: RuleContext, entry: Entry, currentOnly: boolean): Coded | undefined => {
  const site = siteOf(entry, '.route.coding[0]');
  const route = codedFromCoding(ctx, site, firstCoding(entry.resource.route), [
    CODE_SYSTEMS.VIA_ADMINISTRACAO,
  ]);
  if (!currentOnly || route === undefined || !RIA_1_0_ONLY.has(route.code)) return route;
  ctx.problems.error(
    'NEXO_ERR_VALIDATION_CODE',
    `${site.path}.code`,
    `${site.label}.code "${route.code}" is a route code of RIA 1.0 only; RIA-R takes the current BRViaAdministracao codes, e.g. 10890 (intramuscular), 10916 (subcutânea), 10885 (intradérmica), 10907 (oral).`,
  );
  return undefined;
};
