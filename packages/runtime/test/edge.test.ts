import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  EDGE_SERVER_OPTIONS,
  allowedMethods,
  healthRoutes,
  installFhirEdge,
  routesOf,
} from '../src/index.ts';

interface Outcome {
  resourceType: string;
  issue: Array<{
    severity: string;
    code: string;
    diagnostics: string;
    details: { coding: Array<{ code: string }> };
  }>;
}

const edgeApp = async (setup: (app: FastifyInstance) => void | Promise<void>): Promise<FastifyInstance> => {
  const app = Fastify({ ...EDGE_SERVER_OPTIONS, logger: false });
  installFhirEdge(app);
  await setup(app);
  await app.ready();
  return app;
};

describe('the FHIR edge every service shares', () => {
  it('answers an unexpected failure 500 with an OperationOutcome that carries no stack or message', async () => {
    const app = await edgeApp((a) => {
      a.get('/boom', async () => {
        throw new Error('secret detail at /srv/nexo/file.ts:12');
      });
    });
    const response = await app.inject({ method: 'GET', url: '/boom' });
    expect(response.statusCode).toBe(500);
    expect(response.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
    const outcome = response.json<Outcome>();
    expect(outcome).toEqual({
      resourceType: 'OperationOutcome',
      issue: [
        {
          severity: 'error',
          code: 'exception',
          details: { coding: [expect.objectContaining({ code: 'NEXO_ERR_INTERNAL' })] },
          diagnostics: 'the request failed inside Nexo; it was logged. Retry later.',
        },
      ],
    });
    expect(response.body).not.toMatch(/secret|\.ts:/);
    await app.close();
  });

  it('answers a dependency that is unavailable for a moment (statusCode 503) with 503 and Retry-After, not 500', async () => {
    const app = await edgeApp((a) => {
      a.get('/card', async () => {
        throw Object.assign(new Error('the reader thread failed: exited with code 1'), { statusCode: 503 });
      });
    });
    const response = await app.inject({ method: 'GET', url: '/card' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('1');
    expect(response.json<Outcome>().issue[0]).toMatchObject({
      code: 'transient',
      details: { coding: [expect.objectContaining({ code: 'NEXO_ERR_UNAVAILABLE' })] },
    });
    expect(response.body).not.toMatch(/reader thread/);
    await app.close();
  });

  it('answers a store that is full, locked or failing (SQLite SQLITE_FULL, SQLITE_BUSY, SQLITE_IOERR_*) with 503, not 500', async () => {
    for (const [code, message] of [
      ['SQLITE_FULL', 'database or disk is full'],
      ['SQLITE_BUSY', 'database is locked'],
      ['SQLITE_IOERR_WRITE', 'disk I/O error'],
    ]) {
      const app = await edgeApp((a) => {
        a.post('/bundle', async () => {
          throw Object.assign(new Error(message), { code });
        });
      });
      const response = await app.inject({ method: 'POST', url: '/bundle' });
      expect([response.statusCode, response.headers['retry-after']]).toEqual([503, '1']);
      expect(response.json<Outcome>().issue[0]?.details?.coding?.[0]?.code).toBe('NEXO_ERR_UNAVAILABLE');
      await app.close();
    }
  });

  it('reads bodies as UTF-8 only: another charset is 415, bytes that are not UTF-8 are 400, a byte order mark is dropped', async () => {
    const app = await edgeApp((a) => {
      a.post('/echo', async (request) => request.body);
    });
    const post = (payload: Buffer, contentType = 'application/fhir+json') =>
      app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': contentType }, payload });
    const lot = (text: string, encoding: BufferEncoding) => Buffer.from(`{"lotNumber":"${text}"}`, encoding);

    const latin1 = await post(lot('LOTÉ2', 'latin1'));
    expect(latin1.statusCode).toBe(400);
    expect(latin1.json<Outcome>().issue[0]?.diagnostics).toMatch(/not valid UTF-8/);
    const declared = await post(lot('LOTÉ2', 'latin1'), 'application/fhir+json; charset=ISO-8859-1');
    expect(declared.statusCode).toBe(415);
    expect(declared.json<Outcome>().issue[0]?.diagnostics).toMatch(/UTF-8.*not iso-8859-1/);

    for (const contentType of [
      'application/fhir+json',
      'application/json; charset=UTF-8',
      'application/json+fhir',
    ]) {
      const utf8 = await post(lot('LOTÉ2', 'utf8'), contentType);
      expect(utf8.statusCode).toBe(200);
      expect(utf8.json()).toEqual({ lotNumber: 'LOTÉ2' });
    }
    const ascii = await post(lot('LOT2', 'ascii'), 'application/fhir+json; charset=us-ascii');
    expect([ascii.statusCode, ascii.json()]).toEqual([200, { lotNumber: 'LOT2' }]);
    const gzipped = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/fhir+json', 'content-encoding': 'gzip' },
      payload: gzipSync(lot('LOTÉ2', 'utf8')),
    });
    expect(gzipped.statusCode).toBe(415);
    expect(gzipped.json<Outcome>().issue[0]?.diagnostics).toMatch(/Content-Encoding gzip is not accepted/);
    const withBom = await post(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), lot('LOTÈ2', 'utf8')]));
    expect(withBom.json()).toEqual({ lotNumber: 'LOTÈ2' });
    await app.close();
  });

  it('names the field a route schema refuses: a query parameter given twice, a missing body field', async () => {
    const app = await edgeApp((a) => {
      a.get(
        '/page',
        { schema: { querystring: { type: 'object', properties: { limit: { type: 'string' } } } } },
        async () => ({}),
      );
      a.post(
        '/answer',
        {
          schema: {
            body: { type: 'object', required: ['message'], properties: { message: { type: 'string' } } },
          },
        },
        async () => ({}),
      );
    });
    const twice = await app.inject({ method: 'GET', url: '/page?limit=1&limit=2' });
    expect(twice.statusCode).toBe(400);
    expect(twice.json<Outcome & { issue: Array<{ expression?: string[] }> }>().issue[0]).toMatchObject({
      expression: ['limit'],
      diagnostics: 'limit must be string.',
    });
    const missing = await app.inject({
      method: 'POST',
      url: '/answer',
      headers: { 'content-type': 'application/json' },
      payload: '{}',
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json<Outcome & { issue: Array<{ expression?: string[] }> }>().issue[0]).toMatchObject({
      expression: ['body.message'],
    });
    await app.close();
  });

  it('knows the methods of every path: route patterns with parameters and wildcards', async () => {
    const app = await edgeApp((a) => {
      a.get('/fhir/r4/Bundle/:id', async () => ({}));
      a.post('/fhir/r4/Bundle', async () => ({}));
      a.post('/fhir/r4/Bundle/$validate', async () => ({}));
      a.get('/files/*', async () => ({}));
    });
    expect(allowedMethods(app, '/fhir/r4/Bundle/abc?x=1')).toEqual(['GET', 'HEAD']);
    expect(allowedMethods(app, '/fhir/r4/Bundle/$validate')).toEqual(['POST']);
    expect(allowedMethods(app, '/fhir/r4/Bundle')).toEqual(['POST']);
    expect(allowedMethods(app, '/files/a/b.css')).toEqual(['GET', 'HEAD']);
    expect(allowedMethods(app, '/fhir/r4/Patient')).toEqual([]);
    expect(routesOf(app).filter((r) => r.method !== 'HEAD')).toEqual([
      { method: 'GET', url: '/fhir/r4/Bundle/:id' },
      { method: 'POST', url: '/fhir/r4/Bundle' },
      { method: 'POST', url: '/fhir/r4/Bundle/$validate' },
      { method: 'GET', url: '/files/*' },
    ]);
    const wrongMethod = await app.inject({ method: 'PATCH', url: '/fhir/r4/Bundle/abc' });
    expect(wrongMethod.statusCode).toBe(405);
    expect(wrongMethod.headers.allow).toBe('GET, HEAD');
    expect(wrongMethod.json<Outcome>().issue[0]!.details.coding[0]!.code).toBe('NEXO_ERR_METHOD_NOT_ALLOWED');
    await app.close();
  });

  it('/health passes; /ready is 503 with an OperationOutcome naming each failing check', async () => {
    let storeUp = false;
    const app = await edgeApp(async (a) => {
      await a.register(
        healthRoutes([
          {
            name: 'event store',
            probe: () => (storeUp ? 1 : Promise.reject(new Error('mongodb://user:pw@host down'))),
          },
          { name: 'read models', probe: () => undefined },
        ]),
      );
    });
    expect((await app.inject({ method: 'GET', url: '/health' })).json()).toEqual({ status: 'pass' });
    const down = await app.inject({ method: 'GET', url: '/ready' });
    expect(down.statusCode).toBe(503);
    expect(down.json<Outcome>().issue).toEqual([
      expect.objectContaining({ code: 'transient', diagnostics: 'not ready: event store failed its check.' }),
    ]);
    expect(down.body).not.toContain('mongodb');
    storeUp = true;
    const up = await app.inject({ method: 'GET', url: '/ready' });
    expect(up.statusCode).toBe(200);
    expect(up.json()).toEqual({ status: 'pass', checks: { 'event store': 'pass', 'read models': 'pass' } });
    await app.close();
  });

  it('while closing, a request that still arrives on an open connection is 503 with an OperationOutcome', async () => {
    let release: () => void = () => undefined;
    let started: () => void = () => undefined;
    const slowStarted = new Promise<void>((resolve) => (started = resolve));
    const app = await edgeApp((a) => {
      a.get('/slow', async () => {
        started();
        await new Promise<void>((resolve) => (release = resolve));
        return { done: true };
      });
      a.get('/fast', async () => ({ done: true }));
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    const socket = connect(typeof address === 'object' && address ? address.port : 0, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString('utf8')));
    const ended = new Promise((resolve) => socket.on('close', resolve));
    socket.write('GET /slow HTTP/1.1\r\nHost: nexo\r\n\r\n');
    await slowStarted;
    const closing = app.close();
    // Pipelined on the same connection, behind the request in flight: it arrives while closing.
    socket.write('GET /fast HTTP/1.1\r\nHost: nexo\r\n\r\n');
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    await closing;
    await ended;
    const [first, second] = received.split(/(?=HTTP\/1\.1 )/);
    expect(first).toMatch(/^HTTP\/1\.1 200 /);
    expect(first).toContain('{"done":true}');
    expect(second).toMatch(/^HTTP\/1\.1 503 /);
    expect(second).toMatch(/\r\nconnection: close\r\n/i);
    expect(second).toMatch(/\r\nretry-after: 1\r\n/i);
    expect(second).toContain('"code":"NEXO_ERR_UNAVAILABLE"');
  });
});
