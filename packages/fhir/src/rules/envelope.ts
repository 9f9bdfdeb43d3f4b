import { SOLICITANTE_SYSTEM_PREFIX } from '../canonical.ts';
import { arrayAt, isObject, objectAt, stringAt, type JsonObject } from '../json.ts';
import type { Problems } from '../problems.ts';
import type { ProfileSchemas } from '../schema/profile-schemas.ts';
import { reportSchemaErrors } from '../schema/schema-problems.ts';
import type { Entry, Site } from './context.ts';
import { checkText } from './texts.ts';

/** A Bundle whose envelope can be read: its entries and the Composition in entry[0]. */
export interface Envelope {
  readonly bundle: JsonObject;
  readonly entries: readonly Entry[];
  readonly composition: Entry;
}

const SOLICITANTE_SYSTEM = /^http:\/\/www\.saude\.gov\.br\/fhir\/r4\/NamingSystem\/BRRNDS-[0-9]+$/;

const entriesOf = (bundle: JsonObject): Entry[] => {
  const entries: Entry[] = [];
  (arrayAt(bundle, 'entry') ?? []).forEach((item, index) => {
    const resource = objectAt(item, 'resource');
    const resourceType = stringAt(resource, 'resourceType');
    if (!resource || resourceType === undefined) return; // the schema reports it
    entries.push({
      index,
      path: `Bundle.entry[${index}].resource`,
      fullUrl: stringAt(item, 'fullUrl'),
      resourceType,
      resource,
    });
  });
  return entries;
};

const IDENTIFIER_SYSTEM: Site = { path: 'Bundle.identifier.system', label: 'Bundle.identifier.system' };
const IDENTIFIER_VALUE: Site = { path: 'Bundle.identifier.value', label: 'Bundle.identifier.value' };

/**
 * Bundle.identifier names the submission (its stream, resends, retificações) and comes back in
 * answers and listings: the solicitante naming system, and a value that is the sender's id exactly,
 * neither blank nor padded, of a bounded length.
 */
const checkBundleIdentifier = (identifier: JsonObject | undefined, problems: Problems): void => {
  const system = stringAt(identifier, 'system');
  if (system !== undefined && !SOLICITANTE_SYSTEM.test(system)) {
    problems.error(
      'NEXO_ERR_UNKNOWN_SOLICITANTE',
      IDENTIFIER_SYSTEM.path,
      `Bundle.identifier.system must be ${SOLICITANTE_SYSTEM_PREFIX}<solicitante>, where <solicitante> is the numeric requester id the sender was registered with.`,
    );
  }
  checkText(problems, IDENTIFIER_SYSTEM, system, 'identifier');
  const value = stringAt(identifier, 'value');
  if (!checkText(problems, IDENTIFIER_VALUE, value, 'identifier') || value === undefined) return;
  if (value.trim() !== value) {
    problems.error(
      'NEXO_ERR_VALIDATION_IDENTIFIER',
      IDENTIFIER_VALUE.path,
      'Bundle.identifier.value starts or ends with white space: send the id exactly as the sender keeps it, without padding (a padded id would name another document).',
    );
  }
};

/**
 * Checks the document envelope: the Bundle schema (type document, timestamp, identifier, entries),
 * Bundle.identifier, and a Composition in entry[0] (and nowhere else). Returns the
 * envelope when the rest of the document can be read.
 */
export const checkEnvelope = (
  input: unknown,
  schemas: ProfileSchemas,
  problems: Problems,
): Envelope | undefined => {
  if (!schemas.bundle(input)) {
    reportSchemaErrors(
      schemas.bundle.errors,
      { path: 'Bundle', label: 'Bundle', profile: 'a document Bundle' },
      problems,
    );
  }
  if (!isObject(input)) return undefined;
  checkBundleIdentifier(objectAt(input, 'identifier'), problems);
  const entries = entriesOf(input);
  const first = entries[0];
  if (first?.index !== 0) return undefined;
  if (first.resourceType !== 'Composition') {
    problems.error(
      'NEXO_ERR_VALIDATION_PROFILE',
      'Bundle.entry[0].resource.resourceType',
      'Bundle.entry[0].resource must be the Composition: a document Bundle starts with it.',
    );
    return undefined;
  }
  for (const entry of entries.slice(1)) {
    if (entry.resourceType === 'Composition') {
      problems.error(
        'NEXO_ERR_VALIDATION_PROFILE',
        `${entry.path}.resourceType`,
        `${entry.path} is a second Composition: a document has exactly one, in entry[0].`,
      );
    }
  }
  return { bundle: input, entries, composition: first };
};
