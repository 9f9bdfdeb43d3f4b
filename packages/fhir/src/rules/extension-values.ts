import { elementName } from '../fhirpath.ts';
import type { Problems } from '../problems.ts';
import type { Entry } from './context.ts';
import { trailPath, walkObjects } from './walk-objects.ts';

/** A value[x] element: `value` and a data type's name (the schema checks which names and types). */
const VALUE_X = /^value[A-Z]/;

/**
 * What JSON Schema cannot count, for every extension of every entry, at any depth: an extension
 * carries at most one value[x] (Extension.value[x] 0..1), and a value or nested extensions, never
 * both (FHIR R4 invariant ext-1).
 */
export const checkExtensionValues = (entries: readonly Entry[], problems: Problems): void => {
  for (const entry of entries) {
    walkObjects(entry.resource, (object, trail) => {
      // An extension: an object in an `extension` array.
      if (trail.at(-2) !== 'extension' || typeof trail.at(-1) !== 'number') return;
      const values = Object.keys(object).filter((key) => VALUE_X.test(key));
      if (values.length < 2 && (values.length === 0 || object.extension === undefined)) return;
      const path = trailPath(entry.path, trail);
      const label = elementName(path, entry.path, entry.resourceType);
      if (values.length > 1)
        problems.error(
          'NEXO_ERR_VALIDATION_STRUCTURE',
          `${path}.${values[1] ?? ''}`,
          `${label} has ${values.join(' and ')}: an extension carries one value[x].`,
        );
      else
        problems.error(
          'NEXO_ERR_VALIDATION_STRUCTURE',
          `${path}.extension`,
          `${label} has both ${values[0] ?? ''} and nested extensions: an extension carries a value or extensions, not both (FHIR ext-1).`,
        );
    });
  }
};
