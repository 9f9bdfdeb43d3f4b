import type {
  CapabilityStatement,
  CapabilityStatementRest,
  CapabilityStatementRestResource,
  CapabilityStatementRestResourceInteraction,
  CapabilityStatementRestResourceOperation,
} from '@medplum/fhirtypes';

type Interaction = CapabilityStatementRestResourceInteraction['code'] & string;

/** What the CapabilityStatement is generated from: the routes really registered, the validator's profiles. */
export interface CapabilityInput {
  /** The FHIR base the statement describes, e.g. `/fhir/r4`. */
  readonly base: string;
  /** Scheme and authority the request came to, e.g. `https://nexo.example`. */
  readonly origin: string;
  readonly routes: ReadonlyArray<{ readonly method: string; readonly url: string }>;
  /** Every profile the document validator loads. */
  readonly profiles: readonly string[];
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

const RESOURCE_DOCUMENTATION: Readonly<Record<string, string>> = {
  Bundle:
    'Document Bundles (type document) of the national models RIA, REL and RDM. supportedProfile lists the ' +
    'profiles of the Composition and of the entries the hub validates against; the Composition.meta.profile ' +
    'chooses the model. A create answers 201 with Location naming the record; a resend of the same document ' +
    'answers the same record; relatesTo replaces corrects or cancels a record.',
};

/** One route under the base, read as a FHIR RESTful interaction or operation. */
type Capability =
  | { readonly kind: 'interaction'; readonly type: string; readonly code: Interaction }
  | { readonly kind: 'operation'; readonly type: string; readonly name: string };

const RESOURCE_TYPE = /^[A-Z][A-Za-z]+$/;
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
 * ones the validator loaded. Nothing here is written by hand except words.
 */
export const capabilityStatement = (input: CapabilityInput): CapabilityStatement => {
  const byType = new Map<string, { interactions: Set<Interaction>; operations: Set<string> }>();
  for (const route of input.routes) {
    if (route.method === 'HEAD' || !route.url.startsWith(`${input.base}/`)) continue;
    const found = capabilityOf(route.method, route.url.slice(input.base.length));
    if (!found) continue;
    const entry = byType.get(found.type) ?? { interactions: new Set(), operations: new Set() };
    if (found.kind === 'interaction') entry.interactions.add(found.code);
    else entry.operations.add(found.name);
    byType.set(found.type, entry);
  }
  const resource = [...byType.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([type, entry]): CapabilityStatementRestResource => ({
      type: type as CapabilityStatementRestResource['type'],
      ...(type === 'Bundle' ? { supportedProfile: [...input.profiles] } : {}),
      ...(RESOURCE_DOCUMENTATION[type] ? { documentation: RESOURCE_DOCUMENTATION[type] } : {}),
      interaction: INTERACTION_ORDER.filter((code) => entry.interactions.has(code)).map((code) => ({ code })),
      versioning: 'no-version',
      readHistory: false,
      updateCreate: false,
      conditionalCreate: false,
      conditionalUpdate: false,
      conditionalDelete: 'not-supported',
      ...(entry.operations.size > 0
        ? { operation: [...entry.operations].sort().map((name) => operationOf(name, input.origin)) }
        : {}),
    }));
  const url = `${input.origin}${input.base}`;
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: input.date,
    publisher: 'Nexo',
    kind: 'instance',
    name: 'NexoHub',
    title: 'Nexo FHIR R4 hub',
    description: `Nexo receives the national document models as FHIR document Bundles and validates them against ${input.profiles.length} profiles and ${input.codeSystems} code systems.`,
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
