/**
 * The relay's error answers are OperationOutcomes, as every other service's: an unknown path, another
 * method, a path that cannot be decoded, a failure inside (no internals), malformed HTTP.
 */
import { connect } from 'node:net';
import type { DestinationStream } from 'pino';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { Outbox } from '@nexo/eventstore';
import { configuredServerOptions, createLogger, loadConfig } from '@nexo/runtime';
import { build } from '../src/index.ts';

const SYSTEM = 'https://nexo.saude.example/fhir/CodeSystem/nexo-error';
const FHIR_JSON = 'application/fhir+json; charset=utf-8';

const outcome = (issueType: string, code: string, display: string, diagnostics: string) => ({
  resourceType: 'OperationOutcome',
  issue: [
    {
      severity: 'error',
      code: issueType,
      details: { coding: [{ system: SYSTEM, code, display }] },
      diagnostics,
    },
  ],
});

const start = async (depth: () => Promise<number> = () => Promise.resolve(0)) => {
  const logLines: string[] = [];
  const destination = { write: (line: string) => void logLines.push(line) } as unknown as DestinationStream;
  const outbox: Outbox = {
    depth,
    pending: () => Promise.resolve([]),
    markPublished: () => Promise.resolve(),
  };
  const app = await build({
    relay: { status: () => ({ running: true, published: 0, consecutiveFailures: 0 }) },
    outbox,
    logger: createLogger({ level: 'info', name: 'test', destination }),
    serverOptions: configuredServerOptions(
      loadConfig({ NEXO_REQUEST_TIMEOUT_MS: '2000', NEXO_CONNECTION_TIMEOUT_MS: '1000' }).security,
    ),
  });
  onTestFinished(() => app.close());
  return { app, logLines };
};

const whole = (response: { statusCode: number; headers: Record<string, unknown>; json: () => unknown }) => ({
  status: response.statusCode,
  type: response.headers['content-type'],
  allow: response.headers.allow,
  body: response.json(),
});

describe('the relay’s error answers', () => {
  it('answers an unknown path 404 with an OperationOutcome', async () => {
    const { app } = await start();
    expect(whole(await app.inject({ method: 'GET', url: '/relay/v1/unknown?x=1' }))).toEqual({
      status: 404,
      type: FHIR_JSON,
      allow: undefined,
      body: outcome('not-found', 'NEXO_ERR_NOT_FOUND', 'no such resource', 'no route GET /relay/v1/unknown'),
    });
  });

  it('answers another method 405 with the methods the path allows', async () => {
    const { app } = await start();
    expect(whole(await app.inject({ method: 'DELETE', url: '/relay/v1/status' }))).toEqual({
      status: 405,
      type: FHIR_JSON,
      allow: 'GET, HEAD',
      body: outcome(
        'not-supported',
        'NEXO_ERR_METHOD_NOT_ALLOWED',
        'method not allowed',
        'DELETE is not allowed here; use GET, HEAD.',
      ),
    });
  });

  it('answers a path that cannot be decoded 400 naming the path', async () => {
    const { app } = await start();
    expect(whole(await app.inject({ method: 'GET', url: '/relay/v1/%ff' }))).toEqual({
      status: 400,
      type: FHIR_JSON,
      allow: undefined,
      body: outcome(
        'structure',
        'NEXO_ERR_UNPARSABLE',
        'the request cannot be read: a body that is not JSON (UTF-8), or a malformed query parameter',
        'the path /relay/v1/%ff cannot be read: a %-escape in it is not valid UTF-8 once decoded; encode each path segment as UTF-8 percent-escapes.',
      ),
    });
  });

  it('answers a failure 500 without its message, which stays in the log', async () => {
    const { app, logLines } = await start(() =>
      Promise.reject(new Error('outbox query failed on mongodb://relay:s3cret@db-1:27017')),
    );
    const response = await app.inject({ method: 'GET', url: '/relay/v1/status' });
    expect(whole(response)).toEqual({
      status: 500,
      type: FHIR_JSON,
      allow: undefined,
      body: outcome(
        'exception',
        'NEXO_ERR_INTERNAL',
        'internal error',
        'the request failed inside Nexo; it was logged. Retry later.',
      ),
    });
    expect(response.body).not.toContain('s3cret');
    expect(logLines.join('\n')).toContain('outbox query failed');
  });

  it('answers malformed HTTP 400 with an OperationOutcome and closes the connection', async () => {
    const { app } = await start();
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    const received = await new Promise<string>((resolve, reject) => {
      const socket = connect(typeof address === 'object' && address ? address.port : 0, '127.0.0.1');
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString('utf8')));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
      socket.write('GET /health HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n');
    });
    const [head = '', body = ''] = received.split('\r\n\r\n');
    expect(head.split('\r\n')).toEqual([
      'HTTP/1.1 400 Bad Request',
      'Content-Type: application/fhir+json; charset=utf-8',
      `Content-Length: ${Buffer.byteLength(body)}`,
      'Connection: close',
    ]);
    expect(JSON.parse(body)).toMatchObject({
      resourceType: 'OperationOutcome',
      issue: [
        { severity: 'error', code: 'structure', details: { coding: [{ code: 'NEXO_ERR_UNPARSABLE' }] } },
      ],
    });
  });

  it('applies the configured timeouts: a socket that stalls mid-request is closed', async () => {
    const { app } = await start();
    expect(app.server.requestTimeout).toBe(2000);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    const started = Date.now();
    const closed = await new Promise<number>((resolve) => {
      const socket = connect(typeof address === 'object' && address ? address.port : 0, '127.0.0.1', () =>
        socket.write('GET /relay/v1/status HTTP/1.1\r\nHost: x\r\n'),
      );
      socket.on('close', () => resolve(Date.now() - started));
      socket.on('error', () => undefined);
    });
    expect(closed).toBeGreaterThanOrEqual(900);
    expect(closed).toBeLessThan(5000);
  });
});
