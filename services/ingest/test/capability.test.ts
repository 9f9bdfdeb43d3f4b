import { describe, expect, it } from 'vitest';
import { capabilityStatement, type CapabilityInput } from '../src/index.ts';

const input = (routes: CapabilityInput['routes']): CapabilityInput => ({
  base: '/fhir/r4',
  origin: 'https://nexo.example',
  routes,
  profiles: ['http://example.org/StructureDefinition/A', 'http://example.org/StructureDefinition/B'],
  codeSystems: 3,
  formats: ['application/fhir+json', 'json'],
  date: '2026-01-01T00:00:00.000Z',
  software: { name: 'Nexo', version: '1.2.3' },
});

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
    expect(
      statement.rest?.[0]?.resource?.map((r) => ({
        type: r.type,
        interaction: r.interaction,
        operation: r.operation,
        supportedProfile: r.supportedProfile,
      })),
    ).toEqual([
      {
        type: 'Bundle',
        interaction: [{ code: 'read' }, { code: 'create' }],
        operation: [
          {
            name: 'validate',
            definition: 'http://hl7.org/fhir/OperationDefinition/Resource-validate',
            documentation: expect.any(String),
          },
        ],
        supportedProfile: [
          'http://example.org/StructureDefinition/A',
          'http://example.org/StructureDefinition/B',
        ],
      },
      {
        type: 'Patient',
        interaction: [{ code: 'vread' }, { code: 'update' }, { code: 'search-type' }],
        operation: [
          { name: 'everything', definition: 'https://nexo.example/OperationDefinition/everything' },
        ],
        supportedProfile: undefined,
      },
    ]);
    expect(statement).toMatchObject({
      resourceType: 'CapabilityStatement',
      date: '2026-01-01T00:00:00.000Z',
      software: { name: 'Nexo', version: '1.2.3' },
      implementation: { url: 'https://nexo.example/fhir/r4' },
      format: ['application/fhir+json', 'json'],
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
