import { elementName } from '../fhirpath.ts';
import type { ModelSpec } from '../models.ts';
import type { Problems } from '../problems.ts';
import type { Entry } from './context.ts';
import type { Envelope } from './envelope.ts';
import { trailElement, trailPath, walkObjects } from './walk-objects.ts';

/** Looks up the entry a reference inside the document points to. */
export type ResolveReference = (reference: string | undefined) => Entry | undefined;

// These tables are looked up with the sender's resourceType and element names, which may be
// anything, "constructor" or "__proto__" among them: Maps, so that no such name finds an
// object's inherited property.

/**
 * References that name something outside the document, by element (indices dropped): the
 * professional's CNS (`Practitioner/<CNS>`), the RIA 1.0 and RIA-C 1.0 manufacturer and the record a
 * retificação replaces (`Composition/<id>`). Their form is checked by the profile rules.
 */
const EXTERNAL: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['Composition', new Set(['relatesTo.targetReference'])],
  ['Immunization', new Set(['performer.actor', 'manufacturer'])],
]);

/** Elements whose target must be a given resource type. The section's target is the model's clinical type. */
const TARGET_TYPE: ReadonlyMap<string, ReadonlyMap<string, string>> = new Map([
  ['Immunization', new Map([['reasonReference', 'Condition']])],
  ['Observation', new Map([['specimen', 'Specimen']])],
  ['MedicationDispense', new Map([['medicationReference', 'Medication']])],
]);

const HOW_TO_REFERENCE: ReadonlyMap<string, string> = new Map([
  ['Condition', 'reference it from Immunization.reasonReference'],
  ['Specimen', 'reference it from Observation.specimen'],
  ['Medication', 'reference it from MedicationDispense.medicationReference'],
]);

/** An absolute RESTful fullUrl `<base>/<Type>/<id>` can also be referenced as `<Type>/<id>`. */
const restfulAlias = (fullUrl: string): string | undefined =>
  /^https?:\/\/.+\/([A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64})$/.exec(fullUrl)?.[1];

const indexEntries = (entries: readonly Entry[], problems: Problems): Map<string, Entry> => {
  const byUrl = new Map<string, Entry>();
  for (const entry of entries) {
    if (entry.fullUrl === undefined) continue;
    const existing = byUrl.get(entry.fullUrl);
    if (existing) {
      problems.error(
        'NEXO_ERR_VALIDATION_REFERENCE',
        `Bundle.entry[${entry.index}].fullUrl`,
        `Bundle.entry[${entry.index}].fullUrl repeats the fullUrl of Bundle.entry[${existing.index}]: each entry needs its own.`,
      );
      continue;
    }
    byUrl.set(entry.fullUrl, entry);
    const alias = restfulAlias(entry.fullUrl);
    if (alias !== undefined && !byUrl.has(alias)) byUrl.set(alias, entry);
  }
  return byUrl;
};

/**
 * Every reference inside the document resolves to an entry's fullUrl and points to the right type;
 * the section lists each clinical resource once; every entry after the Composition is referenced.
 */
export const checkReferences = (
  envelope: Envelope,
  model: ModelSpec,
  problems: Problems,
): ResolveReference => {
  const byUrl = indexEntries(envelope.entries, problems);
  const resolve: ResolveReference = (reference) =>
    reference === undefined ? undefined : byUrl.get(reference);
  const referenced = new Set<number>();
  const listed = new Set<number>();
  for (const entry of envelope.entries) {
    const external = EXTERNAL.get(entry.resourceType);
    const targetTypes: ReadonlyMap<string, string> | undefined =
      entry.index === 0
        ? new Map([['section.entry', model.clinicalType]])
        : TARGET_TYPE.get(entry.resourceType);
    const label = (path: string): string => elementName(path, entry.path, entry.resourceType);
    walkObjects(entry.resource, (object, trail) => {
      // A Reference: an object with a string `reference`.
      const reference = object.reference;
      if (typeof reference !== 'string') return;
      const element = trailElement(trail);
      if (external?.has(element)) return;
      // An element the profile forbids, reported by the schema, is not followed as well.
      if (problems.hasErrorAt(trailPath(entry.path, trail))) return;
      const path = `${trailPath(entry.path, trail)}.reference`;
      const target = resolve(reference);
      if (!target || target === entry) {
        problems.error(
          'NEXO_ERR_VALIDATION_REFERENCE',
          path,
          `${label(path)} does not resolve: no other Bundle.entry has this fullUrl (inside a document, references point to entries, e.g. urn:uuid:…).`,
        );
        return;
      }
      referenced.add(target.index);
      const wanted = targetTypes?.get(element);
      if (wanted !== undefined && target.resourceType !== wanted) {
        problems.error(
          'NEXO_ERR_VALIDATION_REFERENCE',
          path,
          `${label(path)} must point to an entry of type ${wanted}; it points to Bundle.entry[${target.index}], of type ${target.resourceType}.`,
        );
      } else if (element === 'section.entry' && entry.index === 0) {
        if (listed.has(target.index)) {
          problems.error(
            'NEXO_ERR_VALIDATION_REFERENCE',
            path,
            `${label(path)} lists Bundle.entry[${target.index}] a second time.`,
          );
        }
        listed.add(target.index);
      }
    });
  }
  for (const entry of envelope.entries) {
    if (entry.index === 0 || referenced.has(entry.index) || entry.resourceType === 'Composition') continue;
    const how = HOW_TO_REFERENCE.get(entry.resourceType) ?? 'list it in Composition.section[0].entry';
    problems.error(
      'NEXO_ERR_VALIDATION_REFERENCE',
      `Bundle.entry[${entry.index}]`,
      `Bundle.entry[${entry.index}] (of type ${entry.resourceType}) is not referenced by the document: ${how}, or remove it.`,
    );
  }
  return resolve;
};
