import type {
  CapabilityStatement,
  CapabilityStatementRest,
  CapabilityStatementRestResource,
  CapabilityStatementRestResourceInteraction,
  CapabilityStatementRestResourceOperation,
} from '@medplum/fhirtypes';

type Interaction = CapabilityStatementRestResourceInteraction['code'] & string;

const RESOURCE_TYPE = /^[A-Z][A-Za-z]+$/;

/** Profiles grouped by the resource type each constrains (the StructureDefinition's base type). */
export type ProfilesByType = ReadonlyMap<string, readonly string[]>;

/** What the CapabilityStatement is generated from: the routes really registered, the validator's profiles. */
export interface CapabilityInput {
  /** The FHIR base the statement describes, e.g. `/fhir/r4`. */
  readonly base: string;
  /** Scheme and authority the request came to, e.g. `https://nexo.example`. */
  readonly origin: string;
  readonly routes: ReadonlyArray<{ readonly method: string; readonly url: string }>;
  /** Every profile the document validator loads, by resource type (see `profilesByType`). */
  readonly profiles: ProfilesByType;
  /** How many code systems the validator checks codes against. */
  readonly codeSystems: number;
  readonly formats: readonly string[];
  /** When this server started (CapabilityStatement.date). */
  readonly date: string;
  readonly software: { readonly name: string; readonly version: string };
}

/** Canonical definitions of the operations Nexo may route; an unknown one is described by name only. */
const OPERATION_DEFINITIONS: Readonly<Record<string, string>> = {
  validate: 'http://hl7.org/fhir/OperationDefinition/Resource-validate',
};

/** What is said of each routed type, and (the argument) of the profiles listed under it. */
const RESOURCE_DOCUMENTATION: Readonly<Record<string, (profiles: readonly string[]) => string>> = {
  Bundle: (profiles) =>
    'Document Bundles (type document) of the national models RIA, REL and RDM. ' +
    (profiles.length === 0
      ? 'The national models define no Bundle profile, so none is listed here: a document is validated ' +
        'through its Composition profile (Composition.meta.profile chooses the model) and the profiles of ' +
        'its entries, each listed under its own resource type. '
      : 'The Composition and the entries are validated against the profiles listed under their own ' +
        'resource types. ') +
    'A create answers 201 with Location naming the record; a resend of the same document answers the ' +
    'same record; relatesTo replaces corrects or cancels a record.',
};

/** What is said of a type the hub validates inside documents but routes no interaction for. */
const inDocumentOnly = (type: string, profiles: readonly string[]): string =>
  `Accepted only inside a document Bundle (create or $validate on Bundle); ${type} has no interactions ` +
  `of its own. Each ${type} is validated against the profile of the document's model` +
  (profiles.length > 1 ? ', one of supportedProfile.' : '.') +
  (type === 'Composition'
    ? ' Its meta.profile chooses the model; without one, the current model of its type code.'
    : '') +
  (type === 'Condition'
    ? ' Only an RIA-R document holds one: the reason for the dose, named by Immunization.reasonReference.'
    : '');

/**
 * Groups profiles by the resource type each constrains, keeping their order. Throws when the type of
 * a profile cannot be told: a statement that left a profile out, or listed it under another type,
 * would mislead the clients and validators reading it. Called once, at start-up.
 */
export const profilesByType = (
  profiles: readonly string[],
  baseTypeOf: (profile: string) => string | undefined,
): ProfilesByType => {
  const grouped = new Map<string, string[]>();
  const unknown: string[] = [];
  for (const profile of profiles) {
    const type = baseTypeOf(profile);
    if (type === undefined || !RESOURCE_TYPE.test(type)) unknown.push(profile);
    else if (!grouped.get(type)?.includes(profile))
      grouped.set(type, [...(grouped.get(type) ?? []), profile]);
  }
  if (unknown.length > 0)
    throw new Error(
      'the CapabilityStatement cannot list these profiles, as the resource type each constrains is ' +
        `unknown: ${unknown.join(', ')}`,
    );
  return grouped;
};

/** One route under the base, read as a FHIR RESTful interaction or operation. */
type Capability =
  | { readonly kind: 'interaction'; readonly type: string; readonly code: Interaction }
  | { readonly kind: 'operation'; readonly type: string; readonly name: string };

const isParam = (segment: string | undefined) => segment?.startsWith(':') ?? false;

const capabilityOf = (method: string, path: string): Capability | undefined => {
  const [type, second, third, fourth, ...rest] = path.split('/').filter((s) => s !== '');
  if (!type || !RESOURCE_TYPE.test(type) || rest.length > 0) return undefined;
  const interaction = (code: Interaction): Capability => ({ kind: 'interaction', type, code });
  if (second === undefined)
    return method === 'POST'
      ? interaction('create')
      : method === 'GET'
        ? interaction('search-type')
        : undefined;
  if (second.startsWith('$') && third === undefined)
    return { kind: 'operation', type, name: second.slice(1) };
  if (!isParam(second)) return undefined;
  if (third === undefined) {
    const codes: Readonly<Record<string, Interaction>> = {
      GET: 'read',
      PUT: 'update',
      PATCH: 'patch',
      DELETE: 'delete',
    };
    return codes[method] ? interaction(codes[method]) : undefined;
  }
  if (third.startsWith('$') && fourth === undefined) return { kind: 'operation', type, name: third.slice(1) };
  if (third === '_history' && method === 'GET')
    return interaction(isParam(fourth) ? 'vread' : 'history-instance');
  return undefined;
};

const INTERACTION_ORDER: readonly Interaction[] = [
  'read',
  'vread',
  'update',
  'patch',
  'delete',
  'history-instance',
  'history-type',
  'create',
  'search-type',
];

/**
 * The server's CapabilityStatement (kind `instance`), generated from what the code does: the
 * interactions and operations are the routes registered under the base, the profiles are the
 * ones the validator loaded, each under the resource type it constrains (a type validated only
 * inside documents gets a resource entry without interactions). Nothing here is written by hand
 * except words.
 */
export const capabilityStatement = (input: CapabilityInput): CapabilityStatement => {
  const routed = new Map<string, Routed>();
  for (const route of input.routes) {
    if (route.method === 'HEAD' || !route.url.startsWith(`${input.base}/`)) continue;
    const found = capabilityOf(route.method, route.url.slice(input.base.length));
    if (!found) continue;
    const entry = routed.get(found.type) ?? { interactions: new Set(), operations: new Set() };
    if (found.kind === 'interaction') entry.interactions.add(found.code);
    else entry.operations.add(found.name);
    routed.set(found.type, entry);
  }
  const resource = [...new Set([...routed.keys(), ...input.profiles.keys()])]
    .sort()
    .map((type) => resourceOf(type, routed.get(type), input.profiles.get(type) ?? [], input.origin));
  const profileCount = [...input.profiles.values()].reduce((n, profiles) => n + profiles.length, 0);
  const url = `${input.origin}${input.base}`;
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: input.date,
    publisher: 'Nexo',
    kind: 'instance',
    name: 'NexoHub',
    title: 'Nexo FHIR R4 hub',
    description:
      `Nexo receives the national document models as FHIR document Bundles and validates each resource in ` +
      `them against ${profileCount} profiles, listed under the resource type each constrains ` +
      `(${[...input.profiles.keys()].sort().join(', ')}), and ${input.codeSystems} code systems.`,
    software: { name: input.software.name, version: input.software.version },
    implementation: { description: 'Nexo FHIR R4 hub', url },
    fhirVersion: '4.0.1',
    format: [...input.formats],
    rest: [
      {
        mode: 'server',
        documentation:
          'The same interactions are served under /fhir/r4 and /api/fhir/r4 (the national network path).',
        security: securityOf(input),
        resource,
      },
    ],
  };
};

/** The interactions and operations routed for one resource type. */
interface Routed {
  readonly interactions: Set<Interaction>;
  readonly operations: Set<string>;
}

/**
 * One `rest.resource`. `supportedProfile` holds only profiles whose base type is `type`; `profile` is
 * set too when there is exactly one, as every resource of that type the hub accepts conforms to it.
 * A type validated inside documents but not routed has no interaction (0..* in R4).
 */
const resourceOf = (
  type: string,
  routed: Routed | undefined,
  profiles: readonly string[],
  origin: string,
): CapabilityStatementRestResource => {
  const documentation =
    RESOURCE_DOCUMENTATION[type]?.(profiles) ?? (routed ? undefined : inDocumentOnly(type, profiles));
  return {
    type: type as CapabilityStatementRestResource['type'],
    ...(profiles.length === 1 ? { profile: profiles[0] } : {}),
    ...(profiles.length > 0 ? { supportedProfile: [...profiles] } : {}),
    ...(documentation === undefined ? {} : { documentation }),
    ...(routed
      ? {
          ...(routed.interactions.size > 0
            ? {
                interaction: INTERACTION_ORDER.filter((code) => routed.interactions.has(code)).map(
                  (code) => ({ code }),
                ),
              }
            : {}),
          versioning: 'no-version',
          readHistory: false,
          updateCreate: false,
          conditionalCreate: false,
          conditionalUpdate: false,
          conditionalDelete: 'not-supported',
          ...(routed.operations.size > 0
            ? { operation: [...routed.operations].sort().map((name) => operationOf(name, origin)) }
            : {}),
        }
      : {}),
  };
};

/** The OAuth 2.0 token route (client credentials) of the sender API, described when the server routes it. */
const TOKEN_ROUTE = '/auth/token';

const securityOf = (input: CapabilityInput): NonNullable<CapabilityStatementRest['security']> => {
  const tokenRouted = input.routes.some((r) => r.method === 'POST' && r.url === TOKEN_ROUTE);
  return {
    ...(tokenRouted
      ? {
          extension: [
            {
              url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
              extension: [{ url: 'token', valueUri: `${input.origin}${TOKEN_ROUTE}` }],
            },
          ],
        }
      : {}),
    cors: false,
    service: [
      {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/restful-security-service',
            code: 'OAuth',
            display: 'OAuth',
          },
        ],
        text: 'Bearer token issued to an establishment',
      },
    ],
    description:
      'Every interaction except capabilities needs Authorization: Bearer <token> issued to an establishment' +
      (tokenRouted ? ` (OAuth 2.0 client credentials at POST ${TOKEN_ROUTE})` : '') +
      '; X-Authorization-Server is also read, as the national network sends it. A sender reads only its own records.',
  };
};

const operationOf = (name: string, origin: string): CapabilityStatementRestResourceOperation => ({
  name,
  definition: OPERATION_DEFINITIONS[name] ?? `${origin}/OperationDefinition/${name}`,
  ...(name === 'validate'
    ? {
        documentation:
          'Validates a document as a create would, storing nothing: 200 when valid, 422 with the problems otherwise.',
      }
    : {}),
});
