import { canonicalName } from '../canonical.ts';
import type { Coded } from '../document.ts';
import { stringAt } from '../json.ts';
import { child, type RuleContext, type Site } from '../rules/context.ts';
import { checkText } from '../rules/texts.ts';
import { CATALOGUE_SHAPES } from './catalogues.ts';

/**
 * Checks a code against the code systems a required binding allows. Shipped systems must contain the
 * code; catalogue systems (not shipped) must match the catalogue's shape, and the code and the
 * sender's display, which the hub then keeps, must fit the text bounds. Returns the code with the
 * display the terminology gives (or, for catalogues, the sender's display), or undefined after
 * reporting the problem. Missing system or code are left to the schema.
 */
const resolve = (
  ctx: RuleContext,
  at: { readonly system: Site; readonly code: Site; readonly display?: Site },
  system: string,
  code: string,
  allowed: readonly string[],
  senderDisplay: string | undefined,
): Coded | undefined => {
  if (!allowed.includes(system)) {
    ctx.problems.error(
      'NEXO_ERR_VALIDATION_CODE',
      at.system.path,
      `${at.system.label} "${system}" is not allowed here: use ${allowed.join(' or ')}.`,
    );
    return undefined;
  }
  const shipped = ctx.terminology.bySystem.get(system);
  if (shipped) {
    const display = shipped.codes.get(code);
    if (display !== undefined) return { system, code, display };
    ctx.problems.error(
      'NEXO_ERR_VALIDATION_CODE',
      at.code.path,
      `${at.code.label} "${code}" is not a code of ${shipped.name} (${system}, version ${shipped.version}).`,
    );
    return undefined;
  }
  const catalogue = CATALOGUE_SHAPES[system];
  if (catalogue?.shape.test(code)) {
    // The hub keeps and shows what the sender wrote here: both are bounded like other card texts.
    const kept =
      checkText(ctx.problems, at.code, code, 'code') &&
      (at.display === undefined || checkText(ctx.problems, at.display, senderDisplay, 'text'));
    if (!kept) return undefined;
    return senderDisplay === undefined ? { system, code } : { system, code, display: senderDisplay };
  }
  ctx.problems.error(
    'NEXO_ERR_VALIDATION_CODE',
    at.code.path,
    catalogue
      ? `${at.code.label} "${code}" is not a well-formed ${catalogue.name} code (${system}): expected ${catalogue.description}.`
      : `${at.code.label} "${code}": the code system ${canonicalName(system)} is not loaded in this hub.`,
  );
  return undefined;
};

/** A Coding {system, code, display?} bound to `allowed`. */
export const codedFromCoding = (
  ctx: RuleContext,
  site: Site,
  coding: unknown,
  allowed: readonly string[],
): Coded | undefined => {
  const system = stringAt(coding, 'system');
  const code = stringAt(coding, 'code');
  if (system === undefined || code === undefined) return undefined;
  const at = { system: child(site, '.system'), code: child(site, '.code'), display: child(site, '.display') };
  return resolve(ctx, at, system, code, allowed, stringAt(coding, 'display'));
};

/** An Identifier {system, value} whose value is a code of `system` (e.g. manufacturer → BRFabricantePNI). */
export const codedFromIdentifier = (
  ctx: RuleContext,
  site: Site,
  identifier: unknown,
  allowed: readonly string[],
): Coded | undefined => {
  const system = stringAt(identifier, 'system');
  const code = stringAt(identifier, 'value');
  if (system === undefined || code === undefined) return undefined;
  const at = { system: child(site, '.system'), code: child(site, '.value') };
  return resolve(ctx, at, system, code, allowed, undefined);
};

/** A bare code whose system the profile implies (e.g. doseNumberString → BRDose). */
export const codedFromCode = (
  ctx: RuleContext,
  site: Site,
  code: unknown,
  system: string,
): Coded | undefined =>
  typeof code === 'string'
    ? resolve(ctx, { system: site, code: site }, system, code, [system], undefined)
    : undefined;
