import type { Coded } from '../document.ts';
import { arrayAt, objectAt, objectIn } from '../json.ts';
import type { Entry, RuleContext } from '../rules/context.ts';

/** BREstrategiaVacinacao code 2. */
const ESPECIAL = '2';

/**
 * The national RIA guide writes, in the definitions of Immunization.reasonReference and
 * performer.function: "Regra negocial: Quando a estratégia de vacinação for Especial, o campo deve
 * ser obrigatório." Its profile still makes both 0..1 and declares no invariant that says so, so a
 * document without them conforms: Nexo accepts it and warns, naming the element the rule asks for.
 */
export const warnEspecialStrategyGaps = (
  ctx: RuleContext,
  entry: Entry,
  strategy: Coded | undefined,
): void => {
  if (strategy?.code !== ESPECIAL) return;
  const why = 'the national RIA guide asks for it, as a business rule, when the strategy is 2 (Especial)';
  if (arrayAt(entry.resource, 'reasonReference') === undefined) {
    ctx.problems.warning(
      'NEXO_ERR_BUSINESS_RULE',
      `${entry.path}.reasonReference`,
      `Immunization.reasonReference (the CID-10 reason, a BRCID10Avaliado-1.0 Condition entry) is missing: ${why}. The dose was accepted.`,
    );
  }
  const performer = objectIn(arrayAt(entry.resource, 'performer'), 0);
  if (performer !== undefined && objectAt(performer, 'function') === undefined) {
    ctx.problems.warning(
      'NEXO_ERR_BUSINESS_RULE',
      `${entry.path}.performer[0].function`,
      `Immunization.performer[0].function (the prescriber's occupation, BRCBO) is missing: ${why}. The dose was accepted.`,
    );
  }
};
