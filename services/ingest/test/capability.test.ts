import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { createDocumentValidator } from '@nexo/fhir';
import {
  capabilityStatement,
  fhirOperationRoutes,
  profilesByType,
  type CapabilityInput,
} from '../src/index.ts';

const SD = 'http://example.org/StructureDefinition/';
const PROFILES: CapabilityInput['profiles'] = new Map([
  ['Composition', [`${SD}CompositionA`, `${SD}CompositionB`]],
  ['Observation', [`${SD}ObservationA`]],
]);

const input = (
  routes: CapabilityInput['routes'],
  profiles: CapabilityInput['profiles'] = PROFILES,
): CapabilityInput => ({
  base: '/fhir/r4',
  origin: 'https://nexo.example',
  routes,
  profiles,
  codeSystems: 3,
  formats: ['application/fhir+json', 'json'],
  date: '2026-01-01T00:00:00.000Z',
  software: { name: 'Nexo', version: '1.2.3' },
});

/** The resource entries without the words, which are asserted where they matter. */
const shapeOf = (resource: NonNullable<ReturnType<typeof capabilityStatement>['rest']>[number]['resource']) =>
  resource?.map(({ documentation, ...rest }) => ({ ...rest, documentation: typeof documentation }));

/** What an interaction-bearing entry says besides its interactions and operations. */
const ROUTED = {
  versioning: 'no-version',
  readHistory: false,
  updateCreate: false,
  conditionalCreate: false,
  conditionalUpdate: false,
  conditionalDelete: 'not-supported',
} as const;

describe('CapabilityStatement generated from the routes', () => {
  it('reads each route under the base as an interaction or an operation, and ignores the rest', () => {
    const statement = capabilityStatement(
      input([
        { method: 'POST', url: '/fhir/r4/Bundle' },
        { method: 'GET', url: '/fhir/r4/Bundle/:id' },
        { method: 'HEAD', url: '/fhir/r4/Bundle/:id' },
        { method: 'PUT', url: '/fhir/r4/Patient/:id' },
        { method: 'GET', url: '/fhir/r4/Patient' },
        { method: 'GET', url: '/fhir/r4/Patient/:id/_history/:vid' },
        { method: 'POST', url: '/fhir/r4/Bundle/$validate' },
        { method: 'GET', url: '/fhir/r4/Patient/:id/$everything' },
        { method: 'GET', url: '/fhir/r4/metadata' },
        { method: 'GET', url: '/api/fhir/r4/Observation/:id' },
        { method: 'GET', url: '/citizen/v1/me' },
      ]),
    );
    expect(shapeOf(statement.rest?.[0]?.resource)).toEqual([
      {
        type: 'Bundle',
        documentation: 'string',
        interaction: [{ code: 'read' }, { code: 'create' }],
        ...ROUTED,
        operation: [
          {
            name: 'validate',
            definition: 'http://hl7.org/fhir/OperationDefinition/Resource-validate',
            documentation: expect.any(String),
          },
        ],
      },
      {
        type: 'Composition',
        supportedProfile: [`${SD}CompositionA`, `${SD}CompositionB`],
        documentation: 'string',
      },
      {
        type: 'Observation',
        profile: `${SD}ObservationA`,
        supportedProfile: [`${SD}ObservationA`],
        documentation: 'string',
      },
      {
        type: 'Patient',
        documentation: 'undefined',
        interaction: [{ code: 'vread' }, { code: 'update' }, { code: 'search-type' }],
        ...ROUTED,
        operation: [
          { name: 'everything', definition: 'https://nexo.example/OperationDefinition/everything' },
        ],
      },
    ]);
    expect(statement).toMatchObject({
      resourceType: 'CapabilityStatement',
      date: '2026-01-01T00:00:00.000Z',
      software: { name: 'Nexo', version: '1.2.3' },
      implementation: { url: 'https://nexo.example/fhir/r4' },
      format: ['application/fhir+json', 'json'],
      description:
        'Nexo receives the national document models as FHIR document Bundles and validates each resource ' +
        'in them against 3 profiles, listed under the resource type each constrains (Composition, ' +
        'Observation), and 3 code systems.',
    });
  });

  it('describes the OAuth token endpoint only when the server routes it', () => {
    const without = capabilityStatement(input([{ method: 'POST', url: '/fhir/r4/Bundle' }]));
    expect(without.rest?.[0]?.security?.extension).toBeUndefined();
    const withToken = capabilityStatement(
      input([
        { method: 'POST', url: '/fhir/r4/Bundle' },
        { method: 'POST', url: '/auth/token' },
      ]),
    );
    expect(withToken.rest?.[0]?.security?.extension).toEqual([
      {
        url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
        extension: [{ url: 'token', valueUri: 'https://nexo.example/auth/token' }],
      },
    ]);
  });
});

describe('CapabilityStatement profiles, each under the resource type it constrains', () => {
  const resources = (
    profiles: CapabilityInput['profiles'],
    routes = [{ method: 'POST', url: '/fhir/r4/Bundle' }],
  ) => capabilityStatement(input(routes, profiles)).rest?.[0]?.resource ?? [];
  const byType = (profiles: CapabilityInput['profiles'], type: string) =>
    resources(profiles).find((r) => r.type === type);

  it('Bundle lists no profile when none constrains Bundle, and says documents are validated by Composition', () => {
    const bundle = byType(PROFILES, 'Bundle');
    expect(bundle).not.toHaveProperty('supportedProfile');
    expect(bundle).not.toHaveProperty('profile');
    expect(bundle?.documentation).toMatch(
      /^Document Bundles \(type document\) of the national models RIA, REL and RDM\. The national models define no Bundle profile, so none is listed here: a document is validated through its Composition profile/,
    );
  });

  it('a Bundle profile is listed under Bundle, which keeps its interactions', () => {
    const bundle = byType(new Map([['Bundle', [`${SD}DocumentBundle`]], ...PROFILES]), 'Bundle');
    expect(bundle).toMatchObject({
      profile: `${SD}DocumentBundle`,
      supportedProfile: [`${SD}DocumentBundle`],
      interaction: [{ code: 'create' }],
    });
    expect(bundle?.documentation).not.toMatch(/define no Bundle profile/);
  });

  it('a type validated only inside documents says so and has no interaction', () => {
    expect(byType(PROFILES, 'Composition')).toEqual({
      type: 'Composition',
      supportedProfile: [`${SD}CompositionA`, `${SD}CompositionB`],
      documentation:
        'Accepted only inside a document Bundle (create or $validate on Bundle); Composition has no ' +
        "interactions of its own. Each Composition is validated against the profile of the document's " +
        'model, one of supportedProfile. Its meta.profile chooses the model; without one, the current ' +
        'model of its type code.',
    });
    expect(byType(PROFILES, 'Observation')?.documentation).toBe(
      'Accepted only inside a document Bundle (create or $validate on Bundle); Observation has no ' +
        "interactions of its own. Each Observation is validated against the profile of the document's model.",
    );
  });

  it('a type both routed and profiled keeps its interactions and lists its profiles', () => {
    const observation = byType(PROFILES, 'Observation');
    const routed = resources(PROFILES, [{ method: 'GET', url: '/fhir/r4/Observation/:id' }]).find(
      (r) => r.type === 'Observation',
    );
    expect(observation).not.toHaveProperty('interaction');
    expect(routed).toEqual({
      type: 'Observation',
      profile: `${SD}ObservationA`,
      supportedProfile: [`${SD}ObservationA`],
      interaction: [{ code: 'read' }],
      ...ROUTED,
    });
  });
});

describe('profilesByType', () => {
  const types: Readonly<Record<string, string>> = {
    [`${SD}CompositionA`]: 'Composition',
    [`${SD}ObservationA`]: 'Observation',
    [`${SD}CompositionB`]: 'Composition',
  };
  const typeOf = (profile: string): string | undefined => types[profile];

  it('groups the profiles by base type, in the order given, each once', () => {
    expect(
      profilesByType(
        [`${SD}CompositionA`, `${SD}ObservationA`, `${SD}CompositionB`, `${SD}CompositionA`],
        typeOf,
      ),
    ).toEqual(
      new Map([
        ['Composition', [`${SD}CompositionA`, `${SD}CompositionB`]],
        ['Observation', [`${SD}ObservationA`]],
      ]),
    );
  });

  it('fails naming every profile whose type is unknown or not a resource type name', () => {
    expect(() =>
      profilesByType([`${SD}CompositionA`, `${SD}Unknown`, `${SD}Lower`], (p) =>
        p === `${SD}Lower` ? 'observation' : typeOf(p),
      ),
    ).toThrow(
      new Error(
        'the CapabilityStatement cannot list these profiles, as the resource type each constrains is ' +
          `unknown: ${SD}Unknown, ${SD}Lower`,
      ),
    );
  });

  /** The conformance routes of a server whose validator loads these profiles; auth is not used at start-up. */
  const conformanceApp = async (profiles: (loaded: readonly string[]) => readonly string[]) => {
    const validator = createDocumentValidator();
    const unused = () => Promise.reject(new Error('not called'));
    const app = Fastify();
    await app.register(
      fhirOperationRoutes({
        validator: { ...validator, profiles: profiles(validator.profiles) },
        clock: () => new Date('2026-01-01T00:00:00Z'),
        auth: { establishment: unused, citizen: unused, annotate: () => undefined },
        registry: { lookUp: unused },
      }),
    );
    return app;
  };

  it('the conformance routes refuse to start when the validator loads a profile of unknown type', async () => {
    await expect(conformanceApp((loaded) => [...loaded, `${SD}Unknown`])).rejects.toThrow(
      `the resource type each constrains is unknown: ${SD}Unknown`,
    );
  });

  it('and start, answering metadata, with the profiles the validator loads', async () => {
    const app = await conformanceApp((loaded) => loaded);
    const response = await app.inject({ method: 'GET', url: '/fhir/r4/metadata' });
    expect(response.statusCode).toBe(200);
    await app.close();
  });
});
