import { canonicalName, withoutVersion } from '../canonical.ts';
import { arrayAt, firstCoding, objectAt, stringAt } from '../json.ts';
import {
  CURRENT_MODEL,
  isRecordType,
  MODELS,
  modelForCompositionProfile,
  recordTypeOfClinical,
  type ModelSpec,
} from '../models.ts';
import type { Problems } from '../problems.ts';
import type { Envelope } from './envelope.ts';

const SUPPORTED = Object.values(MODELS)
  .map((model) => canonicalName(model.compositionProfile))
  .join(', ');

/**
 * Picks the national model a document follows:
 * 1. the Composition's `meta.profile` (the first one the hub knows);
 * 2. without `meta.profile`, the current model for the Composition type code (RIA → RIA-R 2.0,
 *    REL → REL 1.1, RDM → RDM);
 * 3. without a usable type code, the current model for the clinical resources present, so that the
 *    rest of the document is still checked (the type code problem is reported by the Composition rules).
 * A `meta.profile` naming only unknown profiles is an error: the hub does not guess.
 */
export const selectModel = (envelope: Envelope, problems: Problems): ModelSpec | undefined => {
  const composition = envelope.composition.resource;
  const declared = (arrayAt(objectAt(composition, 'meta'), 'profile') ?? []).filter(
    (p): p is string => typeof p === 'string',
  );
  if (declared.length > 0) {
    for (const profile of declared) {
      const model = modelForCompositionProfile(withoutVersion(profile));
      if (model) return model;
    }
    problems.error(
      'NEXO_ERR_VALIDATION_PROFILE',
      `${envelope.composition.path}.meta.profile`,
      `Composition.meta.profile names no model this hub accepts; use one of ${SUPPORTED} (${MODELS['RIA-R-2.0'].compositionProfile.replace(/[^/]*$/, '')}…).`,
    );
    return undefined;
  }
  const typeCode = stringAt(firstCoding(objectAt(composition, 'type')), 'code');
  if (typeCode !== undefined && isRecordType(typeCode)) return MODELS[CURRENT_MODEL[typeCode]];
  for (const entry of envelope.entries) {
    const recordType = recordTypeOfClinical(entry.resourceType);
    if (recordType) return MODELS[CURRENT_MODEL[recordType]];
  }
  problems.error(
    'NEXO_ERR_VALIDATION_PROFILE',
    `${envelope.composition.path}.type`,
    'Composition.type cannot tell which national model this document follows: declare Composition.meta.profile, or a type code RIA, REL or RDM with its clinical resources.',
  );
  return undefined;
};
