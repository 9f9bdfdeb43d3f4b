import { canonicalName, withoutVersion } from '../canonical.ts';
import { arrayAt, objectAt } from '../json.ts';
import type { ModelSpec } from '../models.ts';
import type { Problems } from '../problems.ts';
import type { ProfileSchemas } from '../schema/profile-schemas.ts';
import { reportSchemaErrors } from '../schema/schema-problems.ts';
import type { Entry } from './context.ts';
import type { Envelope } from './envelope.ts';

const declaredProfiles = (entry: Entry): string[] =>
  (arrayAt(objectAt(entry.resource, 'meta'), 'profile') ?? [])
    .filter((p): p is string => typeof p === 'string')
    .map(withoutVersion);

/** The profile an entry must follow in this model, or undefined after reporting it does not belong. */
const profileOf = (entry: Entry, model: ModelSpec, problems: Problems): string | undefined => {
  if (entry.index === 0) return model.compositionProfile;
  if (entry.resourceType === 'Composition') return undefined; // reported by the envelope rules
  // Own properties only: the sender's resourceType may be "constructor" or "toString".
  const profile = Object.hasOwn(model.resourceProfiles, entry.resourceType)
    ? model.resourceProfiles[entry.resourceType]
    : undefined;
  if (profile === undefined) {
    problems.error(
      'NEXO_ERR_VALIDATION_PROFILE',
      `${entry.path}.resourceType`,
      `${entry.path} is of type ${entry.resourceType}, which ${model.id} documents do not contain; after the Composition they hold only ${Object.keys(model.resourceProfiles).join(' and ')}.`,
    );
    return undefined;
  }
  const declared = declaredProfiles(entry);
  if (declared.length > 0 && !declared.includes(profile)) {
    problems.error(
      'NEXO_ERR_VALIDATION_PROFILE',
      `${entry.path}.meta.profile`,
      `${entry.resourceType}.meta.profile must include ${profile}: a ${model.id} document carries ${entry.resourceType} of that profile.`,
    );
  }
  return profile;
};

/** Validates every entry against the JSON Schema of its profile in the selected model. */
export const checkConformance = (
  envelope: Envelope,
  model: ModelSpec,
  schemas: ProfileSchemas,
  problems: Problems,
): void => {
  for (const entry of envelope.entries) {
    const profile = profileOf(entry, model, problems);
    const validate = profile === undefined ? undefined : schemas.byProfile.get(profile);
    if (profile === undefined || validate === undefined || validate(entry.resource)) continue;
    reportSchemaErrors(
      validate.errors,
      { path: entry.path, label: entry.resourceType, profile: canonicalName(profile) },
      problems,
    );
  }
};
