import { readFileSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentValidator } from '@nexo/fhir';
import { SENDER, example, riaBundle, startHub, tempDataDir, type RunningHub } from './hub-harness.ts';

interface Outcome {
  resourceType: string;
  issue: Array<{
    severity: string;
    code: string;
    diagnostics: string;
    expression?: string[];
    details?: { coding: Array<{ code: string }> };
  }>;
}
interface CapabilityResource {
  type: string;
  profile?: string;
  supportedProfile?: string[];
  documentation?: string;
  interaction?: Array<{ code: string }>;
}

/** Profile canonical → the resourceType its JSON Schema fixes, read from the schema files themselves. */
const profileTypesFromSchemas = (): ReadonlyMap<string, string> => {
  const dir = new URL('../../../schemas/profiles/', import.meta.url);
  return new Map(
    readdirSync(dir)
      .filter((name) => name.startsWith('BR'))
      .map((name) => {
        const schema = JSON.parse(readFileSync(new URL(name, dir), 'utf8')) as {
          $id: string;
          properties: { resourceType: { const: string } };
        };
        return [schema.$id, schema.properties.resourceType.const];
      }),
  );
};

/** Paths of the empty arrays, empty objects, empty strings and nulls FHIR JSON forbids. */
const emptyValues = (value: unknown, path = '$'): string[] => {
  if (value === null || value === '') return [path];
  if (Array.isArray(value))
    return value.length === 0 ? [path] : value.flatMap((item, i) => emptyValues(item, `${path}[${i}]`));
  if (typeof value === 'object') {
    const entries = Object.entries(value);
    return entries.length === 0
      ? [path]
      : entries.flatMap(([key, item]) => emptyValues(item, `${path}.${key}`));
  }
  return [];
};

const codesOf = (outcome: Outcome) => outcome.issue.map((i) => i.details?.coding[0]?.code);
const TOKEN = `dev-establishment-${SENDER}`;

describe('FHIR conformance surface: metadata, $validate, negotiation, error answers', () => {
  const data = tempDataDir();
  let hub: RunningHub;
  const send = (path: string, init: RequestInit = {}) => fetch(`${hub.url}${path}`, init);

  beforeAll(async () => {
    hub = await startHub(data.dir);
  });
  afterAll(async () => {
    await hub.stop();
    data.remove();
  });

  it('GET /fhir/r4/metadata (no token) is the CapabilityStatement of what is routed and loaded', async () => {
    const response = await send('/fhir/r4/metadata');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/fhir+json; charset=utf-8');
    const statement = (await response.json()) as Record<string, unknown> & {
      rest: Array<{
        mode: string;
        security: { service: Array<{ coding: Array<{ code: string }> }> };
        resource: CapabilityResource[];
      }>;
    };
    expect(statement).toMatchObject({
      resourceType: 'CapabilityStatement',
      status: 'active',
      kind: 'instance',
      fhirVersion: '4.0.1',
      format: ['application/fhir+json', 'json'],
      software: { name: 'Nexo' },
      implementation: { url: `${hub.url}/fhir/r4` },
    });
    expect(emptyValues(statement)).toEqual([]);
    expect(statement.rest).toHaveLength(1);
    expect(statement.rest[0]!.mode).toBe('server');
    expect(statement.rest[0]!.security.service[0]!.coding[0]!.code).toBe('OAuth');
    const resources = statement.rest[0]!.resource;
    // Exactly the interactions routed: create and read of Bundle, and $validate; nothing else. The
    // national models define no Bundle profile, so Bundle lists none.
    expect(resources[0]).toEqual({
      type: 'Bundle',
      documentation: expect.stringMatching(/validated through its Composition profile/),
      interaction: [{ code: 'read' }, { code: 'create' }],
      versioning: 'no-version',
      readHistory: false,
      updateCreate: false,
      conditionalCreate: false,
      conditionalUpdate: false,
      conditionalDelete: 'not-supported',
      operation: [
        expect.objectContaining({
          name: 'validate',
          definition: 'http://hl7.org/fhir/OperationDefinition/Resource-validate',
        }),
      ],
    });
    // Every other type the hub validates, inside documents only: no interaction of its own.
    expect(resources.map((r) => r.type)).toEqual([
      'Bundle',
      'Composition',
      'Condition',
      'Immunization',
      'Medication',
      'MedicationDispense',
      'Observation',
      'Specimen',
    ]);
    for (const resource of resources.slice(1)) {
      expect(resource).not.toHaveProperty('interaction');
      expect(resource.documentation).toMatch(/^Accepted only inside a document Bundle/);
    }
    // Every profile listed under a resource constrains that resource (the type its schema fixes)...
    const fixedType = profileTypesFromSchemas();
    for (const resource of resources) {
      const listed = [...(resource.supportedProfile ?? []), ...(resource.profile ? [resource.profile] : [])];
      expect(listed.map((profile) => [profile, fixedType.get(profile)])).toEqual(
        listed.map((profile) => [profile, resource.type]),
      );
      if (resource.profile) expect(resource.supportedProfile).toEqual([resource.profile]);
    }
    // ...and together they are every profile the validator loads, each listed once.
    const allListed = resources.flatMap((r) => r.supportedProfile ?? []);
    expect(allListed).toHaveLength(new Set(allListed).size);
    expect(new Set(allListed)).toEqual(new Set(createDocumentValidator().profiles));
    expect(statement.description).toBe(
      'Nexo receives the national document models as FHIR document Bundles and validates each resource in ' +
        'them against 16 profiles, listed under the resource type each constrains (Composition, ' +
        `Condition, Immunization, Medication, MedicationDispense, Observation, Specimen), and ${createDocumentValidator().codeSystems.length} code systems.`,
    );
  });

  it('answers metadata under the national path with that base as its URL', async () => {
    const response = await send('/api/fhir/r4/metadata');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ implementation: { url: `${hub.url}/api/fhir/r4` } });
  });

  it('$validate: a valid document is 200 with an information issue, and nothing is stored', async () => {
    const headBefore = await hub.hub.engines.store.headPosition();
    const response = await hub.post('/fhir/r4/Bundle/$validate', example('ria-r'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
    const outcome = (await response.json()) as Outcome;
    expect(outcome.resourceType).toBe('OperationOutcome');
    expect(outcome.issue.map((i) => i.severity)).toEqual(['information']);
    expect(outcome.issue[0]!.diagnostics).toMatch(/^valid RIA document \(model RIA-R-2\.0\)/);
    expect(await hub.hub.engines.store.headPosition()).toBe(headBefore);
  });

  it('$validate: an invalid document is 422 naming the element, not stored and not listed as a rejection', async () => {
    const future = riaBundle({ identifier: 'validate-future' }) as {
      entry: Array<{ resource: Record<string, unknown> }>;
    };
    future.entry[1]!.resource.occurrenceDateTime = '2999-01-01T10:00:00-03:00';
    const headBefore = await hub.hub.engines.store.headPosition();
    const response = await hub.post('/fhir/r4/Bundle/$validate', future);
    expect(response.status).toBe(422);
    const outcome = (await response.json()) as Outcome;
    expect(outcome.issue.map((i) => i.expression?.[0])).toContain(
      'Bundle.entry[1].resource.occurrenceDateTime',
    );
    expect(outcome.issue.every((i) => i.severity === 'error')).toBe(true);
    expect(await hub.hub.engines.store.headPosition()).toBe(headBefore);
    const rejections = (await (await hub.get('/establishment/v1/rejections', TOKEN)).json()) as {
      rejections: unknown[];
    };
    expect(rejections.rejections).toEqual([]);
  });

  it('$validate: accepts a Parameters resource, refuses an unsupported mode and another author with 422', async () => {
    const wrapped = await hub.post('/fhir/r4/Bundle/$validate', {
      resourceType: 'Parameters',
      parameter: [
        { name: 'resource', resource: example('ria-r') },
        { name: 'mode', valueCode: 'create' },
      ],
    });
    expect(wrapped.status).toBe(200);
    const deleteMode = await hub.post('/fhir/r4/Bundle/$validate?mode=delete', example('ria-r'));
    expect(deleteMode.status).toBe(422);
    expect((await deleteMode.json()) as Outcome).toMatchObject({ issue: [{ expression: ['mode'] }] });
    const empty = await hub.post('/fhir/r4/Bundle/$validate', { resourceType: 'Parameters', parameter: [] });
    expect(empty.status).toBe(422);
    expect((await empty.json()) as Outcome).toMatchObject({
      issue: [{ expression: ['Parameters.parameter'] }],
    });
    const foreign = await hub.post('/fhir/r4/Bundle/$validate', riaBundle({ author: '1234567' }));
    expect(foreign.status).toBe(422);
    expect(codesOf((await foreign.json()) as Outcome)).toEqual(['NEXO_ERR_FORBIDDEN']);
  });

  it('$validate?profile= checks the document against that model: 200 for its own, 422 for another model or an entry profile', async () => {
    const SD = 'http://www.saude.gov.br/fhir/r4/StructureDefinition/';
    const validate = (profile: string, body: unknown = example('ria-r')) =>
      hub.post(`/fhir/r4/Bundle/$validate?profile=${encodeURIComponent(profile)}`, body);
    expect((await validate(`${SD}BRRegistroImunobiologicoAdministradoRotina-2.0`)).status).toBe(200);

    const otherModel = await validate(`${SD}BRResultadoExameLaboratorial-1.1`);
    expect(otherModel.status).toBe(422);
    const otherOutcome = (await otherModel.json()) as Outcome;
    expect(otherOutcome).toMatchObject({
      issue: [{ expression: ['Bundle.entry[0].resource.meta.profile'] }],
    });
    expect(otherOutcome.issue[0]!.diagnostics).toMatch(
      /valid RIA of model RIA-R-2\.0, not of model REL-1\.1/,
    );

    const entryProfile = await validate(`${SD}BRImunobiologicoAdministrado-3.0`);
    expect(entryProfile.status).toBe(422);
    const entryOutcome = (await entryProfile.json()) as Outcome;
    expect(entryOutcome).toMatchObject({ issue: [{ expression: ['profile'] }] });
    expect(entryOutcome.issue[0]!.diagnostics).toMatch(/constrains Immunization, not a document/);

    // The same through Parameters, where the profile is a canonical parameter.
    const wrapped = await hub.post('/fhir/r4/Bundle/$validate', {
      resourceType: 'Parameters',
      parameter: [
        { name: 'resource', resource: example('ria-r') },
        { name: 'profile', valueCanonical: `${SD}BRRegistroImunobiologicoAdministradoCampanha-2.0` },
      ],
    });
    expect(wrapped.status).toBe(422);
    expect(codesOf((await wrapped.json()) as Outcome)).toEqual(['NEXO_ERR_VALIDATION_PROFILE']);
    expect((await validate(`${SD}NoSuchProfile`)).status).toBe(422);
  });

  it('$validate needs an establishment token (401 OperationOutcome)', async () => {
    const response = await hub.post('/fhir/r4/Bundle/$validate', example('ria-r'), '');
    expect(response.status).toBe(401);
    expect(codesOf((await response.json()) as Outcome)).toEqual(['NEXO_ERR_UNAUTHENTICATED']);
  });

  it.each([
    ['Accept: application/fhir+xml', '/fhir/r4/metadata', { accept: 'application/fhir+xml' }, 'Accept'],
    ['Accept: text/xml', '/fhir/r4/metadata', { accept: 'text/xml, application/xml;q=0.9' }, 'Accept'],
    ['_format=xml', '/fhir/r4/metadata?_format=xml', {}, '_format'],
    ['_format=application/fhir+xml', '/fhir/r4/metadata?_format=application%2Ffhir%2Bxml', {}, '_format'],
    [
      '_format=xml even with a JSON Accept',
      '/fhir/r4/metadata?_format=xml',
      { accept: 'application/fhir+json' },
      '_format',
    ],
  ])('asking for XML (%s) is 406 with an OperationOutcome', async (_name, path, headers, expression) => {
    const response = await send(path, { headers });
    expect(response.status).toBe(406);
    expect(response.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
    const outcome = (await response.json()) as Outcome;
    expect(outcome).toMatchObject({
      resourceType: 'OperationOutcome',
      issue: [{ code: 'not-supported', expression: [expression] }],
    });
    expect(codesOf(outcome)).toEqual(['NEXO_ERR_NOT_ACCEPTABLE']);
  });

  it.each([
    ['no Accept', '/fhir/r4/metadata', {}, 'application/fhir+json'],
    [
      'Accept: application/fhir+json',
      '/fhir/r4/metadata',
      { accept: 'application/fhir+json' },
      'application/fhir+json',
    ],
    ['Accept: application/json', '/fhir/r4/metadata', { accept: 'application/json' }, 'application/json'],
    ['Accept: */*', '/fhir/r4/metadata', { accept: '*/*' }, 'application/fhir+json'],
    [
      '_format=json',
      '/fhir/r4/metadata?_format=json',
      { accept: 'application/fhir+xml' },
      'application/fhir+json',
    ],
    [
      '_format=application/fhir+json',
      '/fhir/r4/metadata?_format=application%2Ffhir%2Bjson',
      {},
      'application/fhir+json',
    ],
  ])('JSON (%s) is served, labelled as asked', async (_name, path, headers, type) => {
    const response = await send(path, { headers });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(`${type}; charset=utf-8`);
  });

  it('an XML body is 415 with an OperationOutcome', async () => {
    const response = await hub.post(
      '/fhir/r4/Bundle',
      '<Bundle xmlns="http://hl7.org/fhir"/>',
      TOKEN,
      'application/fhir+xml',
    );
    expect(response.status).toBe(415);
    expect(codesOf((await response.json()) as Outcome)).toEqual(['NEXO_ERR_MEDIA_TYPE']);
  });

  it('a known path with another method is 405 with Allow; an unknown path is 404; both OperationOutcomes', async () => {
    const cases = [
      {
        method: 'DELETE',
        path: '/fhir/r4/Bundle/some-id',
        status: 405,
        allow: 'GET, HEAD',
        code: 'NEXO_ERR_METHOD_NOT_ALLOWED',
      },
      {
        method: 'PUT',
        path: '/api/fhir/r4/Bundle',
        status: 405,
        allow: 'POST',
        code: 'NEXO_ERR_METHOD_NOT_ALLOWED',
      },
      {
        method: 'POST',
        path: '/citizen/v1/me/immunizations',
        status: 405,
        allow: 'GET, HEAD',
        code: 'NEXO_ERR_METHOD_NOT_ALLOWED',
      },
      {
        method: 'GET',
        path: '/fhir/r4/Bundle/$validate',
        status: 405,
        allow: 'POST',
        code: 'NEXO_ERR_METHOD_NOT_ALLOWED',
      },
      {
        method: 'GET',
        path: '/api/fhir/r4/Bundle/$validate',
        status: 405,
        allow: 'POST',
        code: 'NEXO_ERR_METHOD_NOT_ALLOWED',
      },
      {
        method: 'PUT',
        path: '/fhir/r4/Bundle/$validate',
        status: 405,
        allow: 'POST',
        code: 'NEXO_ERR_METHOD_NOT_ALLOWED',
      },
      {
        method: 'DELETE',
        path: '/api/fhir/r4/Bundle/$validate',
        status: 405,
        allow: 'POST',
        code: 'NEXO_ERR_METHOD_NOT_ALLOWED',
      },
      { method: 'GET', path: '/fhir/r4/Patient/1', status: 404, allow: null, code: 'NEXO_ERR_NOT_FOUND' },
    ];
    for (const c of cases) {
      const response = await send(c.path, { method: c.method });
      expect({ status: response.status, allow: response.headers.get('allow') }).toEqual({
        status: c.status,
        allow: c.allow,
      });
      expect(response.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
      expect(codesOf((await response.json()) as Outcome)).toEqual([c.code]);
    }
  });
});
