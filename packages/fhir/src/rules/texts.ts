import type { Problems } from '../problems.ts';
import type { Site } from './context.ts';

/**
 * The most characters (code points: an emoji is one) the hub accepts in sender text it keeps and
 * shows: on the citizen's card and certificate, in answers and listings. FHIR bounds a string only
 * at 1 MB and the national models state no length for these elements, so the bounds are Nexo's,
 * generous for real data (docs/senders.md, "Text lengths").
 */
export const TEXT_LIMITS = {
  /** Bundle.identifier system and value: UUIDs or the sender's short codes; they name the stream. */
  identifier: 256,
  /** A code-like text printed on a label: a lot number (GS1 batch numbers have at most 20), a unit. */
  code: 64,
  /** A phrase a person wrote: a method, a reference range, a dosage, a product's display name. */
  text: 1_000,
} as const;

export type TextKind = keyof typeof TEXT_LIMITS;

const WHAT: Readonly<Record<TextKind, string>> = {
  identifier: 'an identifier',
  code: 'a lot number, unit or code',
  text: 'a free text',
};

/**
 * Whether `text` has more than `max` code points: a bound on what is stored and shown, not a count
 * of what a reader sees (a combining accent or each part of a joined emoji counts apart).
 */
export const charactersExceed = (text: string, max: number): boolean => {
  // A string never has fewer UTF-16 units than code points: most texts are decided here.
  if (text.length <= max) return false;
  let count = 0;
  for (const _ of text) if (++count > max) return true;
  return false;
};

/**
 * Checks a text the hub keeps: not only white space (FHIR: such a string trims to nothing, which is
 * no value) and not longer than the bound of its kind. Returns whether it passed. Other JSON types
 * and the empty string are the schema's to report.
 */
export const checkText = (problems: Problems, site: Site, value: unknown, kind: TextKind): boolean => {
  if (typeof value !== 'string' || value === '') return true;
  if (value.trim() === '') {
    problems.error(
      'NEXO_ERR_VALIDATION_REQUIRED',
      site.path,
      `${site.label} is only white space: send the text, or leave the element out where it is optional.`,
    );
    return false;
  }
  const max = TEXT_LIMITS[kind];
  if (!charactersExceed(value, max)) return true;
  problems.error(
    'NEXO_ERR_VALIDATION_TOO_LONG',
    site.path,
    `${site.label} is longer than ${max} characters, the most the hub accepts for ${WHAT[kind]} here (see "Text lengths" in the sender guide).`,
  );
  return false;
};
