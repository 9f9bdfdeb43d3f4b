import { CODE_SYSTEMS, PARTY_SYSTEMS } from '../canonical.ts';
import type { Coded } from '../document.ts';
import { objectAt, stringAt } from '../json.ts';
import { siteOf, type Entry, type RuleContext } from '../rules/context.ts';
import { checkText } from '../rules/texts.ts';
import { codedFromIdentifier } from '../terminology/bindings.ts';
import { defined } from './defined.ts';

/**
 * How a model names the vaccine's manufacturer: by a BRFabricantePNI `identifier` (RIA-R, RIA-C
 * 2.0), by `reference` `Organization/<id>` plus `display` (RIA-C 1.0), or either (RIA 1.0: the
 * earlier national guide names it by reference, and Nexo has always taken the PNI code too).
 */
export type ManufacturerNaming = 'identifier' | 'reference' | 'identifierOrReference';

const ORGANIZATION_ID = /^Organization\/([A-Za-z0-9\-.]{1,64})$/;

const byIdentifier = (ctx: RuleContext, entry: Entry, manufacturer: object): Coded | undefined =>
  codedFromIdentifier(ctx, siteOf(entry, '.manufacturer.identifier'), objectAt(manufacturer, 'identifier'), [
    CODE_SYSTEMS.FABRICANTE_PNI,
  ]);

const byReference = (ctx: RuleContext, entry: Entry, manufacturer: object): Coded | undefined => {
  const id = ORGANIZATION_ID.exec(stringAt(manufacturer, 'reference') ?? '')?.[1];
  const display = stringAt(manufacturer, 'display');
  checkText(ctx.problems, siteOf(entry, '.manufacturer.display'), display, 'text');
  return id === undefined
    ? undefined
    : defined({ system: PARTY_SYSTEMS.PESSOA_JURIDICA_PROFISSIONAL_LIBERAL, code: id, display });
};

/** Either form, but one: the card keeps one manufacturer, and two names could disagree. */
const byIdentifierOrReference = (ctx: RuleContext, entry: Entry, manufacturer: object): Coded | undefined => {
  const hasIdentifier = objectAt(manufacturer, 'identifier') !== undefined;
  const hasReference = stringAt(manufacturer, 'reference') !== undefined;
  if (hasIdentifier && hasReference) {
    ctx.problems.error(
      'NEXO_ERR_VALIDATION_PROFILE',
      `${entry.path}.manufacturer.reference`,
      'Immunization.manufacturer names the manufacturer once: by identifier (BRFabricantePNI) or by reference "Organization/<id>" with its display, not both.',
    );
    return undefined;
  }
  if (!hasIdentifier && !hasReference) {
    ctx.problems.error(
      'NEXO_ERR_VALIDATION_REQUIRED',
      `${entry.path}.manufacturer.reference`,
      'Immunization.manufacturer needs a reference "Organization/<id>" (with its display), as the RIA 1.0 model names the manufacturer, or an identifier of BRFabricantePNI.',
    );
    return undefined;
  }
  return hasIdentifier ? byIdentifier(ctx, entry, manufacturer) : byReference(ctx, entry, manufacturer);
};

/** Immunization.manufacturer, when sent, as the model names it. */
export const readManufacturer = (
  ctx: RuleContext,
  entry: Entry,
  naming: ManufacturerNaming,
): Coded | undefined => {
  const manufacturer = objectAt(entry.resource, 'manufacturer');
  if (manufacturer === undefined) return undefined;
  switch (naming) {
    case 'identifier':
      return byIdentifier(ctx, entry, manufacturer);
    case 'reference':
      return byReference(ctx, entry, manufacturer);
    case 'identifierOrReference':
      return byIdentifierOrReference(ctx, entry, manufacturer);
  }
};
