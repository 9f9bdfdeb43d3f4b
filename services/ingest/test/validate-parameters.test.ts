import { readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutcomeIssue } from '@nexo/testkit';
import { createDocumentValidator } from '@nexo/fhir';
import { fhirOperationRoutes } from '../src/index.ts';

const SENDER = '9990011';
const SD = 'http://www.saude.gov.br/fhir/r4/StructureDefinition/';
const RIA_R = `${SD}BRRegistroImunobiologicoAdministradoRotina-2.0`;

const example = (name: 'ria-r' | 'rel-qualitativo'): Record<string, unknown> =>
  JSON.parse(
    readFileSync(new URL(`../../../../shared/rnds/examples/${name}.json`, import.meta.url), 'utf8'),
  ) as Record<string, unknown>;

type Issue = OutcomeIssue;

/**
 * `POST Bundle/$validate` with a Parameters body: the operation defines resource, mode and profile
 * (FHIR R4 Resource-validate), each at most once. Anything else is refused naming the parameter,
 * never silently skipped while another document is checked.
 */
describe('$validate reads a Parameters body strictly', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    const unused = () => Promise.reject(new Error('not called'));
    app = Fastify();
    await app.register(
      fhirOperationRoutes({
        validator: createDocumentValidator(),
        clock: () => new Date('2025-06-01T12:00:00Z'),
        auth: { establishment: async () => SENDER, citizen: unused, annotate: () => undefined },
        registry: { lookUp: unused },
      }),
    );
  });
  afterAll(() => app.close());

  const validate = async (parameter: unknown) => {
    const response = await app.inject({
      method: 'POST',
      url: '/fhir/r4/Bundle/$validate',
      payload: { resourceType: 'Parameters', parameter },
    });
    const { issue } = response.json<{ resourceType: string; issue: Issue[] }>();
    return {
      status: response.statusCode,
      type: response.headers['content-type'],
      issues: issue.map((i) => ({
        severity: i.severity,
        code: i.code,
        nexo: i.details?.coding?.[0]?.code,
        expression: i.expression,
      })),
      diagnostics: issue.map((i) => i.diagnostics),
    };
  };

  it('accepts the three parameters FHIR defines, in the types senders use', async () => {
    const answer = await validate([
      { name: 'resource', resource: example('ria-r') },
      { name: 'mode', valueCode: 'create' },
      { name: 'profile', valueUri: RIA_R },
    ]);
    expect(answer).toMatchObject({ status: 200, issues: [{ severity: 'information' }] });
    expect(answer.diagnostics[0]).toMatch(/^valid RIA document \(model RIA-R-2\.0\)/);
    const canonical = await validate([
      { name: 'profile', valueCanonical: RIA_R },
      { name: 'resource', resource: example('ria-r') },
    ]);
    expect(canonical.status).toBe(200);
  });

  it('refuses a second resource with 422 naming it, instead of checking only the first', async () => {
    // The second document is invalid: a server that checked only the first would answer 200.
    const answer = await validate([
      { name: 'resource', resource: example('ria-r') },
      { name: 'resource', resource: { resourceType: 'Bundle' } },
    ]);
    expect(answer).toEqual({
      status: 422,
      type: 'application/fhir+json; charset=utf-8',
      issues: [
        {
          severity: 'error',
          code: 'processing',
          nexo: 'NEXO_ERR_VALIDATION_PROFILE',
          expression: ['Parameters.parameter[1]'],
        },
      ],
      diagnostics: [expect.stringMatching(/repeats the parameter resource of Parameters\.parameter\[0\]/)],
    });
  });

  it('refuses a name the operation does not define, and a parameter without a name', async () => {
    const answer = await validate([
      { name: 'resource', resource: example('ria-r') },
      { name: 'resources', resource: example('rel-qualitativo') },
      { resource: example('rel-qualitativo') },
    ]);
    expect(answer).toMatchObject({
      status: 422,
      issues: [
        {
          code: 'structure',
          nexo: 'NEXO_ERR_VALIDATION_STRUCTURE',
          expression: ['Parameters.parameter[1]'],
        },
        {
          code: 'structure',
          nexo: 'NEXO_ERR_VALIDATION_STRUCTURE',
          expression: ['Parameters.parameter[2]'],
        },
      ],
    });
    expect(answer.diagnostics[0]).toMatch(/"resources".*its parameters are resource, mode and profile/);
    expect(answer.diagnostics[1]).toMatch(/has no name/);
  });

  it('refuses a repeated mode or profile, so that a later one cannot silently change the check', async () => {
    const answer = await validate([
      { name: 'resource', resource: example('ria-r') },
      { name: 'mode', valueCode: 'create' },
      { name: 'mode', valueCode: 'delete' },
      { name: 'profile', valueUri: RIA_R },
      { name: 'profile', valueUri: `${SD}BRResultadoExameLaboratorial-1.1` },
    ]);
    expect(answer).toMatchObject({
      status: 422,
      issues: [
        { nexo: 'NEXO_ERR_VALIDATION_PROFILE', expression: ['Parameters.parameter[2]'] },
        { nexo: 'NEXO_ERR_VALIDATION_PROFILE', expression: ['Parameters.parameter[4]'] },
      ],
    });
  });

  it('refuses a parameter without a value of its type instead of ignoring it', async () => {
    const answer = await validate([
      { name: 'resource', valueString: JSON.stringify(example('ria-r')) },
      { name: 'mode', valueInteger: 1 },
    ]);
    expect(answer).toMatchObject({
      status: 422,
      issues: [
        { nexo: 'NEXO_ERR_VALIDATION_REQUIRED', expression: ['Parameters.parameter[0].resource'] },
        { nexo: 'NEXO_ERR_VALIDATION_REQUIRED', expression: ['Parameters.parameter[1]'] },
      ],
    });
  });

  it('refuses a Parameters.parameter that is not a list', async () => {
    const answer = await validate({ name: 'resource', resource: example('ria-r') });
    expect(answer).toMatchObject({
      status: 422,
      issues: [{ nexo: 'NEXO_ERR_VALIDATION_STRUCTURE', expression: ['Parameters.parameter'] }],
    });
  });

  it('refuses an empty mode or profile instead of taking it as absent (and checking nothing)', async () => {
    const answer = await validate([
      { name: 'resource', resource: example('ria-r') },
      { name: 'mode', valueCode: '' },
      { name: 'profile', valueUri: '' },
    ]);
    expect(answer).toEqual({
      status: 422,
      type: 'application/fhir+json; charset=utf-8',
      issues: [
        {
          severity: 'error',
          code: 'required',
          nexo: 'NEXO_ERR_VALIDATION_REQUIRED',
          expression: ['Parameters.parameter[1]'],
        },
        {
          severity: 'error',
          code: 'required',
          nexo: 'NEXO_ERR_VALIDATION_REQUIRED',
          expression: ['Parameters.parameter[2]'],
        },
      ],
      diagnostics: [
        'Parameters.parameter[1] is the mode parameter and needs its value in valueCode.',
        'Parameters.parameter[2] is the profile parameter and needs its value in valueUri (or valueCanonical).',
      ],
    });

    const inQuery = async (query: string) => {
      const response = await app.inject({
        method: 'POST',
        url: `/fhir/r4/Bundle/$validate?${query}`,
        payload: example('ria-r'),
      });
      const { issue } = response.json<{ issue: Issue[] }>();
      return [
        response.statusCode,
        issue.map((i) => [i.details?.coding?.[0]?.code, i.expression, i.diagnostics]),
      ];
    };
    expect(await inQuery('profile=')).toEqual([
      422,
      [
        [
          'NEXO_ERR_VALIDATION_PROFILE',
          ['profile'],
          'profile names no profile this hub validates against (see supportedProfile in metadata).',
        ],
      ],
    ]);
    expect(await inQuery('mode=')).toEqual([
      422,
      [
        [
          'NEXO_ERR_VALIDATION_CODE',
          ['mode'],
          'mode (empty) is not supported: omit it or use create (documents are never updated or deleted).',
        ],
      ],
    ]);
  });

  it('refuses a parameter that carries two things, instead of checking the first one found', async () => {
    const answer = await validate([
      { name: 'resource', resource: example('ria-r'), valueString: 'x' },
      { name: 'mode', valueCode: 'create', valueString: 'delete' },
    ]);
    expect(answer).toEqual({
      status: 422,
      type: 'application/fhir+json; charset=utf-8',
      issues: [0, 1].map((i) => ({
        severity: 'error',
        code: 'structure',
        nexo: 'NEXO_ERR_VALIDATION_STRUCTURE',
        expression: [`Parameters.parameter[${i}]`],
      })),
      diagnostics: [
        'Parameters.parameter[0] carries resource and valueString: a parameter has one of value[x], resource and part (FHIR prm-1), so which one to check cannot be told.',
        'Parameters.parameter[1] carries valueCode and valueString: a parameter has one of value[x], resource and part (FHIR prm-1), so which one to check cannot be told.',
      ],
    });
  });

  it('answers a document with some hundred thousand problems with the first 100 and a count, not a 500', async () => {
    const document = example('ria-r') as { entry: Array<{ resource: Record<string, unknown> }> };
    document.entry[1]!.resource.performer = Array.from({ length: 200_000 }, () => 5);
    const answer = await validate([{ name: 'resource', resource: document }]);
    expect(answer.status).toBe(422);
    expect(answer.issues).toHaveLength(101);
    expect(answer.issues.at(-1)).toEqual({
      severity: 'error',
      code: 'too-costly',
      nexo: 'NEXO_ERR_TOO_MANY_PROBLEMS',
      expression: undefined,
    });
    expect(answer.diagnostics.at(-1)).toBe(
      '199901 more problems are not listed; correct the ones above and validate again.',
    );
  });
});
