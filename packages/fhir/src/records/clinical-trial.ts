import { canonicalName, EXTENSIONS } from '../canonical.ts';
import { arrayAt, isObject, stringAt } from '../json.ts';
import { child, type RuleContext, type Site } from '../rules/context.ts';
import { singleExtension } from './extensions.ts';

/** The slices of BREstrategiaVacinacaoPesquisa-1.0: the clinical study a dose belongs to. */
const STUDY_FACTS = [
  'numeroProtocoloEstudoANVISA',
  'numeroVersaoProtocoloEstudo',
  'numeroRegistroVacinaAnvisa',
];
const MAX_FACTS = 3;
const VALUE_X = /^value[A-Z]/;

/** Each study fact at most once, with a valueString. */
const checkStudyFacts = (ctx: RuleContext, site: Site, facts: readonly unknown[]): void => {
  for (const name of STUDY_FACTS) {
    const found = facts.flatMap((fact, i) => (stringAt(fact, 'url') === name ? [{ fact, i }] : []));
    if (found.length > 1) {
      const at = child(site, `.extension('${name}')`);
      ctx.problems.error(
        'NEXO_ERR_VALIDATION_PROFILE',
        at.path,
        `${site.label} has ${found.length} extensions ${name}; at most one is allowed.`,
      );
    }
    for (const { fact, i } of found) {
      if (!isObject(fact) || typeof fact.valueString === 'string') continue;
      const at = child(site, `.extension[${i}].valueString`);
      ctx.problems.error(
        'NEXO_ERR_VALIDATION_REQUIRED',
        at.path,
        `${at.label} is required: ${name} carries its number as a valueString.`,
      );
    }
  }
};

/**
 * RIA-R: protocolApplied holds the strategy and, for a dose given in a clinical study, one
 * BREstrategiaVacinacaoPesquisa-1.0 (two extensions at most). That extension has no value of its own,
 * only up to three nested ones: the study's ANVISA protocol number, the protocol version and the
 * vaccine's ANVISA registration, each a valueString at most once.
 */
export const checkClinicalTrial = (ctx: RuleContext, owner: Site, protocol: unknown): void => {
  const extensions = arrayAt(protocol, 'extension') ?? [];
  if (extensions.length > 2) {
    const at = child(owner, '.extension');
    ctx.problems.error(
      'NEXO_ERR_VALIDATION_PROFILE',
      at.path,
      `${at.label} allows at most 2 extensions: BREstrategiaVacinacao-1.0 and, for a dose given in a clinical study, BREstrategiaVacinacaoPesquisa-1.0.`,
    );
  }
  const url = EXTENSIONS.ESTRATEGIA_VACINACAO_PESQUISA;
  const found = singleExtension(ctx, owner, protocol, url, undefined);
  if (found === undefined) return;
  const { site, extension } = found;
  const value = Object.keys(extension).find((key) => VALUE_X.test(key));
  // With nested extensions too, FHIR's ext-1 has already been reported at `.extension`.
  if (value !== undefined && !ctx.problems.hasErrorAt(`${site.path}.extension`)) {
    const at = child(site, `.${value}`);
    ctx.problems.error(
      'NEXO_ERR_VALIDATION_PROFILE',
      at.path,
      `${at.label} is not allowed by ${canonicalName(url)}: it carries nested extensions only (${STUDY_FACTS.join(', ')}).`,
    );
  }
  const facts = arrayAt(extension, 'extension') ?? [];
  if (facts.length > MAX_FACTS) {
    const at = child(site, '.extension');
    ctx.problems.error(
      'NEXO_ERR_VALIDATION_PROFILE',
      at.path,
      `${at.label} allows at most ${MAX_FACTS} nested extensions (${STUDY_FACTS.join(', ')}).`,
    );
  }
  checkStudyFacts(ctx, site, facts);
};
