import { isEstablishmentIdentifierSystem, isValidCnes } from '@nexo/identifiers';
import { PARTY_SYSTEMS } from '../canonical.ts';
import { arrayAt, objectAt, objectIn, stringAt } from '../json.ts';
import { partyOf } from './composition.ts';
import { siteOf, type Entry, type RuleContext } from './context.ts';

/**
 * The laboratory (or professional) that performed an REL exam, `Observation.performer[0].identifier`,
 * checked as `Composition.author` is (`partyOf`): an establishment system takes a CNES (7 digits, no check
 * digit); BRPessoaJuridicaProfissionalLiberal-1.0 takes a CNPJ (check digits, alphanumeric or not)
 * or a CNS (check digits), and also a CNES, because the national REL example names its laboratory's
 * CNES under that system. Any other system is refused: the performer is who answers for the result.
 * The schema has already reported a missing or mistyped identifier; this rule stays silent there.
 * Messages do not repeat the value: a professional's CNS is personal data.
 */
export const checkRelPerformer = (ctx: RuleContext, entry: Entry): void => {
  const site = siteOf(entry, '.performer[0].identifier');
  if (ctx.problems.hasErrorNear(site.path)) return;
  const identifier = objectAt(objectIn(arrayAt(entry.resource, 'performer'), 0), 'identifier');
  const system = stringAt(identifier, 'system');
  const value = stringAt(identifier, 'value');
  if (system === undefined || value === undefined || partyOf(identifier) !== undefined) return;
  if (isEstablishmentIdentifierSystem(system)) {
    ctx.problems.error(
      'NEXO_ERR_VALIDATION_IDENTIFIER',
      `${site.path}.value`,
      `${site.label}.value must be a CNES, 7 digits without punctuation, under ${system}.`,
    );
    return;
  }
  if (system === PARTY_SYSTEMS.PESSOA_JURIDICA_PROFISSIONAL_LIBERAL) {
    if (!isValidCnes(value))
      ctx.problems.error(
        'NEXO_ERR_VALIDATION_IDENTIFIER',
        `${site.path}.value`,
        `${site.label}.value must be, under ${system}, a CNPJ (14 characters with valid check digits), a CNS (15 digits with valid check digits) or a CNES (7 digits), without punctuation.`,
      );
    return;
  }
  ctx.problems.error(
    'NEXO_ERR_VALIDATION_IDENTIFIER',
    `${site.path}.system`,
    `${site.label}.system must be an establishment (CNES) system (http://www.saude.gov.br/fhir/r4/StructureDefinition/BREstabelecimentoSaude-1.0 or https://saude.gov.br/sid/cnes) or ${PARTY_SYSTEMS.PESSOA_JURIDICA_PROFISSIONAL_LIBERAL} (CNPJ, CNS or CNES).`,
  );
};
