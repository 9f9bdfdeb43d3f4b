/**
 * Requests Node's HTTP parser refuses never reach a route: every service answers them itself, as an
 * OperationOutcome with `Connection: close` (EDGE_SERVER_OPTIONS' clientErrorHandler), not with
 * fastify's `{"error":"Bad Request","message":"Client Error"}`, and logs their error code only.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { NEXO_ERROR_SYSTEM } from '@nexo/fhir';
import { SENDER, citizenToken, hubPerSuite, tempDataDir } from './hub-harness.ts';
import { buildStandaloneServices, type StandaloneServices } from './standalone-services.ts';

const CPF = '52998224725';
const TOKEN = `dev-establishment-${SENDER}`;

const rawExchange = (port: number, bytes: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString('utf8')));
    socket.on('close', () => resolve(received));
    socket.on('error', reject);
    socket.write(bytes);
  });

const portOf = (app: FastifyInstance): number => {
  const address = app.server.address();
  return typeof address === 'object' && address ? address.port : 0;
};

/** The status line, the headers that matter (in order) and the body of a raw answer. */
const parseAnswer = (text: string) => {
  const [head = '', body = ''] = text.split('\r\n\r\n');
  const [status, ...headers] = head.split('\r\n');
  return { status, headers, body: JSON.parse(body) as unknown, bodyBytes: Buffer.byteLength(body) };
};

const outcome = (
  issueType: string,
  code: string,
  display: string,
  diagnostics: string,
  expression?: string,
) => ({
  resourceType: 'OperationOutcome',
  issue: [
    {
      severity: 'error',
      code: issueType,
      details: { coding: [{ system: NEXO_ERROR_SYSTEM, code, display }] },
      diagnostics,
      ...(expression ? { expression: [expression] } : {}),
    },
  ],
});

const UNPARSABLE =
  'the request cannot be read: a body that is not JSON (UTF-8), or a malformed query parameter';

/** Malformed requests about a citizen, with a sender's token: what a broken client could send. */
const CASES = [
  {
    name: 'a header line without a colon',
    bytes: `GET /fhir/r4/Bundle?patient=${CPF} HTTP/1.1\r\nHost: nexo\r\nAuthorization: Bearer ${TOKEN}\r\nCPF ${CPF}\r\n\r\n`,
    status: 'HTTP/1.1 400 Bad Request',
    body: outcome(
      'structure',
      'NEXO_ERR_UNPARSABLE',
      UNPARSABLE,
      'the request is not valid HTTP/1.1: a header is malformed: a name with a space or another character names may not hold, a line without a colon, a value with a control character, or a folded (continued) line.',
    ),
  },
  {
    name: 'headers over 16 KiB',
    bytes: `GET /citizen/v1/me/immunizations HTTP/1.1\r\nHost: nexo\r\nX-Cpf: ${CPF}\r\nX-Pad: ${'a'.repeat(20_000)}\r\n\r\n`,
    status: 'HTTP/1.1 431 Request Header Fields Too Large',
    body: outcome(
      'too-costly',
      'NEXO_ERR_TOO_LARGE',
      'the request exceeds a size limit',
      'the request line and headers exceed 16 KiB; send a shorter path or fewer, shorter headers.',
    ),
  },
] as const;

const expectRefusals = async (port: number): Promise<void> => {
  for (const { name, bytes, status, body } of CASES) {
    const answer = parseAnswer(await rawExchange(port, bytes));
    expect(answer, name).toEqual({
      status,
      headers: [
        'Content-Type: application/fhir+json; charset=utf-8',
        `Content-Length: ${answer.bodyBytes}`,
        'Connection: close',
      ],
      body,
      bodyBytes: answer.bodyBytes,
    });
  }
};

describe('malformed HTTP on every service that takes traffic', () => {
  const hub = hubPerSuite();

  it('the hub answers it with an OperationOutcome, audits nothing and logs no byte of it', async () => {
    const log = hub().hub.security.trail.log;
    const before = (await log.read(0, 100_000)).length;
    const lines = hub().logLines.length;
    await expectRefusals(Number(new URL(hub().url).port));
    // No route, no hook: nothing names data and no token was checked (docs/security.md).
    expect((await log.read(0, 100_000)).length).toBe(before);
    const logged = hub().logLines.slice(lines);
    expect(logged.map((line) => (JSON.parse(line) as { code?: string }).code)).toEqual([
      'HPE_INVALID_HEADER_TOKEN',
      'HPE_HEADER_OVERFLOW',
    ]);
    expect(logged.join('\n')).not.toContain(CPF);
    expect(logged.join('\n')).not.toContain(TOKEN);
  });

  it('a body that breaks off after the headers reached a route is audited with its address, and fails no one else’s read', async () => {
    const port = Number(new URL(hub().url).port);
    const log = hub().hub.security.trail.log;
    const before = (await log.read(0, 100_000)).length;
    // The headers reach the route; the chunk size `zz` then makes Node's parser drop the socket
    // before the answer, so the client address is no longer on it when the audit entry is written.
    const broken = (path: string) =>
      rawExchange(
        port,
        `POST ${path} HTTP/1.1\r\nHost: nexo\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n`,
      );
    const read = () => hub().get('/citizen/v1/me/immunizations', citizenToken());
    const answers = await Promise.all([
      ...Array.from({ length: 6 }, read),
      broken('/citizen/v1/me/correction-requests'),
      broken('/identity/v1/persons'),
      ...Array.from({ length: 6 }, read),
    ]);
    const statuses = answers.flatMap((answer) => (typeof answer === 'string' ? [] : [answer.status]));
    expect(statuses).toEqual(Array.from({ length: 12 }, () => 200));
    const entries = (await log.read(0, 100_000)).slice(before);
    expect(entries.filter((entry) => entry.action.startsWith('GET /citizen/'))).toHaveLength(12);
    expect(new Set(entries.map((entry) => entry.origin.address))).toEqual(new Set(['127.0.0.1']));
    expect(hub().logLines.join('\n')).not.toContain('audit trail write failed');
  });

  it('the hub answers an HTTP/1.1 request without Host 400 naming the header, not Node’s bare 400', async () => {
    const text = await rawExchange(
      Number(new URL(hub().url).port),
      `GET /fhir/r4/metadata HTTP/1.1\r\nAuthorization: Bearer ${TOKEN}\r\n\r\n`,
    );
    const [head = '', body = ''] = text.split('\r\n\r\n');
    expect({
      status: head.split('\r\n')[0],
      type: /\r\ncontent-type: ([^\r]*)/i.exec(head)?.[1],
      connection: /\r\nconnection: ([^\r]*)/i.exec(head)?.[1],
      body: JSON.parse(body) as unknown,
    }).toEqual({
      status: 'HTTP/1.1 400 Bad Request',
      type: 'application/fhir+json; charset=utf-8',
      connection: 'close',
      body: outcome(
        'structure',
        'NEXO_ERR_UNPARSABLE',
        UNPARSABLE,
        'the request is not valid HTTP/1.1: it has no Host header; send one.',
        'Host',
      ),
    });
  });

  describe('the ingest and citizen services on their own', () => {
    const data = tempDataDir();
    const apps: FastifyInstance[] = [];
    let services: StandaloneServices | undefined;
    beforeAll(async () => {
      services = await buildStandaloneServices(data.dir);
      apps.push(services.ingest, services.citizen);
      for (const app of apps) await app.listen({ host: '127.0.0.1', port: 0 });
    });
    afterAll(async () => {
      await services?.close();
      data.remove();
    });

    it.each(['ingest', 'citizen'])('%s answers it with an OperationOutcome', async (service) => {
      const app = apps[service === 'ingest' ? 0 : 1];
      if (!app) throw new Error(`${service} did not start`);
      await expectRefusals(portOf(app));
    });
  });
});
