import { describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { NEXO_ERROR_SYSTEM } from '@nexo/fhir';
import { EDGE_SERVER_OPTIONS, answerFrameworkError, installFhirEdge } from '../src/index.ts';

const outcome = (code: string, display: string, issueType: string, diagnostics: string) => ({
  resourceType: 'OperationOutcome',
  issue: [
    {
      severity: 'error',
      code: issueType,
      details: { coding: [{ system: NEXO_ERROR_SYSTEM, code, display }] },
      diagnostics,
    },
  ],
});

const UNREADABLE =
  'the request cannot be read: a body that is not JSON (UTF-8), or a malformed query parameter';

/** An app as the services build it, with a route whose parameter the router must decode. */
const serviceLike = async (
  options: Record<string, unknown> = {},
  routeConstraints?: Record<string, string>,
): Promise<FastifyInstance> => {
  const app = Fastify({
    ...EDGE_SERVER_OPTIONS,
    logger: false,
    frameworkErrors: answerFrameworkError,
    ...options,
  });
  installFhirEdge(app);
  app.get('/fhir/r4/Bundle/:id', routeConstraints ? { constraints: routeConstraints } : {}, async () => ({
    resourceType: 'Bundle',
  }));
  await app.ready();
  return app;
};

describe('errors the router raises before any route (fastify frameworkErrors)', () => {
  it('answers a path whose %-escapes are not UTF-8 with a 400 OperationOutcome naming the path', async () => {
    const app = await serviceLike();
    for (const url of ['/fhir/r4/Bundle/%ff', '/fhir/r4/Bundle/%E0%A4%A?_format=json']) {
      const path = url.split('?')[0] ?? '';
      const response = await app.inject({ method: 'GET', url });
      expect(
        { status: response.statusCode, type: response.headers['content-type'], body: response.json() },
        url,
      ).toEqual({
        status: 400,
        type: 'application/fhir+json; charset=utf-8',
        body: outcome(
          'NEXO_ERR_UNPARSABLE',
          UNREADABLE,
          'structure',
          `the path ${path} cannot be read: a %-escape in it is not valid UTF-8 once decoded; encode each path segment as UTF-8 percent-escapes.`,
        ),
      });
    }
    expect((await app.inject({ method: 'GET', url: '/fhir/r4/Bundle/%C3%A9' })).statusCode).toBe(200);
    await app.close();
  });

  it('answers a path parameter over the router’s 100 characters 400, not fastify’s bare 414', async () => {
    const app = await serviceLike();
    const url = `/fhir/r4/Bundle/${'a'.repeat(101)}`;
    const response = await app.inject({ method: 'GET', url });
    expect({
      status: response.statusCode,
      type: response.headers['content-type'],
      body: response.json(),
    }).toEqual({
      status: 400,
      type: 'application/fhir+json; charset=utf-8',
      body: outcome(
        'NEXO_ERR_UNPARSABLE',
        UNREADABLE,
        'structure',
        `the path ${url} cannot be read: a segment is longer than 100 characters, and no id in Nexo is.`,
      ),
    });
    await app.close();
  });

  it('answers a failing asynchronous route constraint 500 without its message', async () => {
    const app = await serviceLike(
      {
        routerOptions: {
          constraints: {
            tenant: {
              name: 'tenant',
              storage: () => {
                const store = new Map<string, unknown>();
                return {
                  get: (k: string) => store.get(k) ?? null,
                  set: (k: string, v: unknown) => store.set(k, v),
                };
              },
              deriveConstraint: (
                _req: unknown,
                _ctx: unknown,
                done: (err: Error | null, value?: string) => void,
              ) => done(new Error('secret detail of the constraint')),
              validate: () => true,
            },
          },
        },
      },
      { tenant: 'a' },
    );
    const response = await app.inject({ method: 'GET', url: '/fhir/r4/Bundle/x' });
    expect({ status: response.statusCode, body: response.json() }).toEqual({
      status: 500,
      body: outcome(
        'NEXO_ERR_INTERNAL',
        'internal error',
        'exception',
        'the request failed inside Nexo; it was logged. Retry later.',
      ),
    });
    await app.close();
  });
});
