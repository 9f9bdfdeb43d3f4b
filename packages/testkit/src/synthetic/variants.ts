/**
 * Variants of a valid synthetic document: invalid ones the hub must reject (each for one known
 * reason), and corrections (replacement, cancellation) of a record the hub accepted.
 */
import type { RandomSource } from '@nexo/identifiers';
import { intBelow, pickOne, type JsonObject, type SyntheticBundle } from './fhir-json.ts';

export const INVALID_KINDS = [
  'bad-citizen-number',
  'missing-document-type',
  'not-a-document',
  'foreign-author',
  'unknown-code',
] as const;
export type InvalidKind = (typeof INVALID_KINDS)[number];

/** The status each invalid kind is answered with. */
export const INVALID_STATUS: Readonly<Record<InvalidKind, number>> = {
  'bad-citizen-number': 422,
  'missing-document-type': 422,
  'not-a-document': 422,
  'foreign-author': 403,
  'unknown-code': 422,
};

const objectAt = (value: unknown, key: string): JsonObject => {
  const found = (value as JsonObject | undefined)?.[key];
  if (typeof found !== 'object' || found === null) throw new TypeError(`synthetic document has no ${key}`);
  return found as JsonObject;
};

const compositionOf = (bundle: SyntheticBundle): JsonObject => {
  const first = bundle.entry[0];
  if (first === undefined) throw new TypeError('synthetic document has no Composition');
  return first.resource;
};

/** The same number with its last digit changed: a CNS or CPF that fails its check digit. */
const brokenNumber = (number: string): string => `${number.slice(0, -1)}${(Number(number.at(-1)) + 1) % 10}`;

/** A copy of `bundle` that the hub rejects for the reason `kind` names. */
export const invalidVariant = (
  bundle: SyntheticBundle,
  kind: InvalidKind,
  citizen: string,
): SyntheticBundle => {
  switch (kind) {
    case 'bad-citizen-number':
      return JSON.parse(
        JSON.stringify(bundle).replaceAll(`"${citizen}"`, `"${brokenNumber(citizen)}"`),
      ) as SyntheticBundle;
    case 'missing-document-type': {
      const copy = structuredClone(bundle);
      delete compositionOf(copy).type;
      return copy;
    }
    case 'not-a-document':
      return { ...structuredClone(bundle), type: 'collection' };
    case 'foreign-author': {
      const copy = structuredClone(bundle);
      const [author] = compositionOf(copy).author as JsonObject[];
      objectAt(author, 'identifier').value = '0000001';
      return copy;
    }
    case 'unknown-code': {
      const copy = structuredClone(bundle);
      const [coding] = objectAt(compositionOf(copy), 'type').coding as JsonObject[];
      if (coding) coding.code = 'XYZ';
      return copy;
    }
  }
};

export const randomInvalidKind = (random: RandomSource): InvalidKind => pickOne(random, INVALID_KINDS);

const withRelatesTo = (bundle: SyntheticBundle, recordId: string): SyntheticBundle => {
  const copy = structuredClone(bundle);
  compositionOf(copy).relatesTo = [
    { code: 'replaces', targetReference: { reference: `Composition/${recordId}` } },
  ];
  return copy;
};

/**
 * A replacement of the record `recordId` (same Bundle.identifier, relatesTo replaces): the
 * vaccination's lot, the result, or the quantity dispensed is corrected.
 */
export const replacementOf = (
  original: SyntheticBundle,
  recordId: string,
  random: RandomSource,
): SyntheticBundle => {
  const copy = withRelatesTo(original, recordId);
  const resource = copy.entry[1]?.resource;
  if (resource === undefined) throw new TypeError('synthetic document has no clinical resource');
  if (resource.resourceType === 'Immunization')
    resource.lotNumber = `${String(resource.lotNumber)}R${intBelow(random, 10)}`;
  if (resource.resourceType === 'Observation') {
    const [coding] = objectAt(resource, 'valueCodeableConcept').coding as JsonObject[];
    if (coding) coding.code = coding.code === '1' ? '2' : '1';
  }
  if (resource.resourceType === 'MedicationDispense')
    objectAt(resource, 'quantity').value = 1 + intBelow(random, 120);
  return copy;
};

/** A cancellation of the record `recordId`: the same document marked entered-in-error. */
export const cancellationOf = (original: SyntheticBundle, recordId: string): SyntheticBundle => {
  const copy = withRelatesTo(original, recordId);
  compositionOf(copy).status = 'entered-in-error';
  return copy;
};
