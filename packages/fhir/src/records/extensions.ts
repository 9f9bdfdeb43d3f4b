import { canonicalName } from '../canonical.ts';
import type { Coded } from '../document.ts';
import type { NexoErrorCode } from '../errors.ts';
import { extensionPath } from '../fhirpath.ts';
import { arrayAt, firstCoding, isObject, objectAt, stringAt, type JsonObject } from '../json.ts';
import { child, type RuleContext, type Site } from '../rules/context.ts';
import { codedFromCoding } from '../terminology/bindings.ts';

export interface FoundExtension {
  readonly site: Site;
  readonly extension: JsonObject;
}

/** The extensions of `element` with this url, each with its own site (`….extension[2]`). */
export const extensionsWithUrl = (owner: Site, element: unknown, url: string): FoundExtension[] => {
  const found: FoundExtension[] = [];
  (arrayAt(element, 'extension') ?? []).forEach((extension, i) => {
    if (isObject(extension) && stringAt(extension, 'url') === url)
      found.push({ site: child(owner, `.extension[${i}]`), extension });
  });
  return found;
};

/**
 * The one extension with `url` (slice cardinality 0..1, or 1..1 when `missing` gives the code to
 * report when it is absent). More than one is a profile error.
 */
export const singleExtension = (
  ctx: RuleContext,
  owner: Site,
  element: unknown,
  url: string,
  missing: NexoErrorCode | undefined,
  why = '',
): FoundExtension | undefined => {
  const found = extensionsWithUrl(owner, element, url);
  const path = extensionPath(owner.path, url);
  // When the schema already rejected the extension list itself, a missing slice says nothing new.
  if (found.length === 0 && missing !== undefined && !ctx.problems.hasErrorAt(`${owner.path}.extension`)) {
    ctx.problems.error(
      missing,
      path,
      `${owner.label} needs exactly one extension ${canonicalName(url)} (${url})${why}.`,
    );
  }
  if (found.length > 1) {
    ctx.problems.error(
      'NEXO_ERR_VALIDATION_PROFILE',
      path,
      `${owner.label} has ${found.length} extensions ${canonicalName(url)}; at most one is allowed.`,
    );
  }
  return found[0];
};

/** The coded value of a national extension with a valueCodeableConcept, checked against its code system. */
export const codedExtension = (
  ctx: RuleContext,
  owner: Site,
  element: unknown,
  url: string,
  missing: NexoErrorCode | undefined,
  system: string,
): Coded | undefined => {
  const found = singleExtension(ctx, owner, element, url, missing);
  if (!found) return undefined;
  const concept = objectAt(found.extension, 'valueCodeableConcept');
  return codedFromCoding(ctx, child(found.site, '.valueCodeableConcept.coding[0]'), firstCoding(concept), [
    system,
  ]);
};

/** Reports every extension of `element` whose url is not in `allowed`. */
export const onlyExtensions = (
  ctx: RuleContext,
  owner: Site,
  element: unknown,
  allowed: readonly string[],
  profile: string,
): void => {
  (arrayAt(element, 'extension') ?? []).forEach((extension, i) => {
    const url = stringAt(extension, 'url');
    if (url === undefined || allowed.includes(url)) return;
    const site = child(owner, `.extension[${i}]`);
    ctx.problems.error(
      'NEXO_ERR_VALIDATION_PROFILE',
      site.path,
      `${site.label} is not allowed by ${profile}: its only extensions are ${allowed.map(canonicalName).join(' and ')}.`,
    );
  });
};

/** Reports every extension of `element` with `url`, which the profile forbids. */
export const forbidExtension = (
  ctx: RuleContext,
  owner: Site,
  element: unknown,
  url: string,
  profile: string,
): void => {
  for (const found of extensionsWithUrl(owner, element, url)) {
    ctx.problems.error(
      'NEXO_ERR_VALIDATION_PROFILE',
      found.site.path,
      `${found.site.label} (${canonicalName(url)}) is not allowed by ${profile}.`,
    );
  }
};
