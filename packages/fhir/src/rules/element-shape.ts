import { elementName } from '../fhirpath.ts';
import type { JsonObject } from '../json.ts';
import type { Problems } from '../problems.ts';
import type { Envelope } from './envelope.ts';
import { trailPath, walkObjects, type Trail } from './walk-objects.ts';

/** A value[x] element: `value` and a data type's name (the schema checks which names and types). */
const VALUE_X = /^value[A-Z]/;

/**
 * A UTF-16 surrogate without its pair: JSON can write one (`"\ud800"`), UTF-8 cannot encode it,
 * so it is no Unicode text. Hashing turns each into U+FFFD, so two Bundle.identifiers that differ
 * only by one named the same submission: the second was refused as a reuse of the first, or
 * accepted as a replacement of the first's record under another identifier.
 */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * The rules of FHIR JSON that the profiles' JSON Schemas do not express, over the whole Bundle in
 * one walk:
 * - an element is never an empty object or an empty array: it has a value or child elements, or
 *   is left out (FHIR R4 JSON, invariant ele-1);
 * - an extension carries at most one value[x] (Extension.value[x] 0..1), and a value or nested
 *   extensions, never both (invariant ext-1);
 * - a string is Unicode text: FHIR JSON is UTF-8, which has no lone surrogate.
 * An empty element inside which the schema already reported a problem is not reported again.
 */
export const checkElementShape = (envelope: Envelope, problems: Problems): void => {
  const byIndex = new Map(envelope.entries.map((entry) => [entry.index, entry]));
  /** Names an element as the other rules do: `Immunization.extension[0]` inside an entry. */
  const labelOf = (path: string, trail: Trail): string => {
    const entry = trail[0] === 'entry' && trail[2] === 'resource' ? byIndex.get(Number(trail[1])) : undefined;
    return entry ? elementName(path, entry.path, entry.resourceType) : path;
  };
  const check = (object: JsonObject, trail: Trail, names: readonly string[]): void => {
    if (names.length === 0) return reportEmpty(trail);
    for (const name of names) {
      const child = object[name];
      if (typeof child === 'string') {
        if (LONE_SURROGATE.test(child)) reportNotText([...trail, name]);
      } else if (Array.isArray(child)) {
        if (child.length === 0) reportEmpty([...trail, name]);
        for (let i = 0; i < child.length; i++) {
          const item: unknown = child[i];
          if (typeof item === 'string' && LONE_SURROGATE.test(item)) reportNotText([...trail, name, i]);
        }
      }
    }
    if (trail[trail.length - 2] === 'extension' && typeof trail[trail.length - 1] === 'number')
      checkExtension(object, names, trail);
  };
  const reportEmpty = (trail: Trail): void => {
    const path = trailPath('Bundle', trail);
    if (problems.hasErrorNear(path)) return;
    problems.error(
      'NEXO_ERR_VALIDATION_STRUCTURE',
      path,
      `${labelOf(path, trail)} is empty: a FHIR element has a value or child elements; leave it out instead.`,
    );
  };
  const reportNotText = (trail: Trail): void => {
    const path = trailPath('Bundle', trail);
    problems.error(
      'NEXO_ERR_VALIDATION_STRUCTURE',
      path,
      `${labelOf(path, trail)} is not Unicode text: it has a lone UTF-16 surrogate (a \\uD800–\\uDFFF escape without its pair), which FHIR JSON, in UTF-8, cannot carry.`,
    );
  };
  const checkExtension = (extension: JsonObject, names: readonly string[], trail: Trail): void => {
    const values = names.filter((name) => VALUE_X.test(name));
    if (values.length < 2 && (values.length === 0 || extension.extension === undefined)) return;
    const path = trailPath('Bundle', trail);
    if (values.length > 1)
      problems.error(
        'NEXO_ERR_VALIDATION_STRUCTURE',
        `${path}.${values[1] ?? ''}`,
        `${labelOf(path, trail)} has ${values.join(' and ')}: an extension carries one value[x].`,
      );
    else
      problems.error(
        'NEXO_ERR_VALIDATION_STRUCTURE',
        `${path}.extension`,
        `${labelOf(path, trail)} has both ${values[0] ?? ''} and nested extensions: an extension carries a value or extensions, not both (FHIR ext-1).`,
      );
  };
  walkObjects(envelope.bundle, check);
};
