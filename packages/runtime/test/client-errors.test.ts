import { connect } from 'node:net';
import type { Socket } from 'node:net';
import type { DestinationStream } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, {
  type ConnectionError,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyServerOptions,
} from 'fastify';
import { NEXO_ERROR_SYSTEM } from '@nexo/fhir';
import { EDGE_SERVER_OPTIONS, answerClientError, createLogger, installFhirEdge } from '../src/index.ts';

/** The bytes a client sends, as they are: `inject` would never reach Node's parser. */
const rawExchange = (port: number, bytes: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString('utf8')));
    socket.on('close', () => resolve(received));
    socket.on('error', reject);
    socket.write(bytes);
  });

/** A raw HTTP/1.1 answer split into status, headers (lower-case names) and the parsed body. */
const parseAnswer = (text: string) => {
  const [head = '', ...rest] = text.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(
    lines.map((line) => [
      line.slice(0, line.indexOf(':')).toLowerCase(),
      line.slice(line.indexOf(':') + 1).trim(),
    ]),
  );
  const body = rest.join('\r\n\r\n');
  return {
    status: statusLine,
    type: headers['content-type'],
    connection: headers.connection?.toLowerCase(),
    length: Number(headers['content-length']),
    bodyBytes: Buffer.byteLength(body),
    body: JSON.parse(body) as unknown,
  };
};

const DISPLAY = {
  NEXO_ERR_UNPARSABLE:
    'the request cannot be read: a body that is not JSON (UTF-8), or a malformed query parameter',
  NEXO_ERR_TOO_LARGE: 'the request exceeds a size limit',
  NEXO_ERR_TIMEOUT: 'the request took too long',
} as const;
const ISSUE_TYPE = {
  NEXO_ERR_UNPARSABLE: 'structure',
  NEXO_ERR_TOO_LARGE: 'too-costly',
  NEXO_ERR_TIMEOUT: 'timeout',
};

/** The whole answer to a refused request: its status line, headers that matter and one issue. */
const refused = (status: string, code: keyof typeof DISPLAY, diagnostics: string, expression?: string) => ({
  status,
  type: 'application/fhir+json; charset=utf-8',
  connection: 'close',
  length: expect.any(Number) as unknown,
  bodyBytes: expect.any(Number) as unknown,
  body: {
    resourceType: 'OperationOutcome',
    issue: [
      {
        severity: 'error',
        code: ISSUE_TYPE[code],
        details: { coding: [{ system: NEXO_ERROR_SYSTEM, code, display: DISPLAY[code] }] },
        diagnostics,
        ...(expression ? { expression: [expression] } : {}),
      },
    ],
  },
});

const BAD_HEADER =
  'the request is not valid HTTP/1.1: a header is malformed: a name with a space or another character names may not hold, a line without a colon, a value with a control character, or a folded (continued) line.';

/** A CPF and a token in the refused bytes: neither may reach a log line. */
const CPF = '52998224725';
const TOKEN = 'secret-token-of-a-sender-0123456789';

describe('requests Node’s HTTP parser refuses (fastify clientErrorHandler, EDGE_SERVER_OPTIONS)', () => {
  const logLines: string[] = [];
  let app: FastifyInstance;
  let port = 0;
  beforeAll(async () => {
    const destination = { write: (line: string) => void logLines.push(line) } as unknown as DestinationStream;
    // `trace`: fastify's own handler logs the whole error (raw bytes included) at trace.
    app = Fastify({
      ...EDGE_SERVER_OPTIONS,
      loggerInstance: createLogger({ level: 'trace', name: 'test', destination }) as FastifyBaseLogger,
    });
    installFhirEdge(app);
    app.get('/fhir/r4/metadata', async () => ({ resourceType: 'CapabilityStatement' }));
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    port = typeof address === 'object' && address ? address.port : 0;
  });
  afterAll(() => app.close());

  it.each([
    ['a header line without a colon', 'GET /fhir/r4/metadata HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n'],
    ['a space in a header name', 'GET /fhir/r4/metadata HTTP/1.1\r\nHost: x\r\nX Cpf: 1\r\n\r\n'],
    ['a control character in a value', 'GET /fhir/r4/metadata HTTP/1.1\r\nHost: x\r\nX-A: a\u0001b\r\n\r\n'],
  ])('answers %s 400 with an OperationOutcome and closes the connection', async (_name, bytes) => {
    const answer = parseAnswer(await rawExchange(port, bytes));
    expect(answer).toEqual(refused('HTTP/1.1 400 Bad Request', 'NEXO_ERR_UNPARSABLE', BAD_HEADER));
    expect(answer.length).toBe(answer.bodyBytes);
  });

  it('names Content-Length when it is not one number', async () => {
    const bytes =
      'POST /fhir/r4/metadata HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab';
    expect(parseAnswer(await rawExchange(port, bytes))).toEqual(
      refused(
        'HTTP/1.1 400 Bad Request',
        'NEXO_ERR_UNPARSABLE',
        'the request is not valid HTTP/1.1: Content-Length must be one decimal number, sent once, and never with Transfer-Encoding.',
        'Content-Length',
      ),
    );
  });

  it('answers a request line that is not HTTP 400 (TLS sent to the plain port)', async () => {
    expect(parseAnswer(await rawExchange(port, '\u0016\u0003\u0001\u0002\u0000\u0001\u0000'))).toEqual(
      refused(
        'HTTP/1.1 400 Bad Request',
        'NEXO_ERR_UNPARSABLE',
        'the request is not valid HTTP/1.1: the request line does not start with an HTTP method (is it TLS sent to a plain HTTP port?).',
      ),
    );
  });

  it('answers a header block over Node’s limit 431', async () => {
    const bytes = `GET /fhir/r4/metadata HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`;
    expect(parseAnswer(await rawExchange(port, bytes))).toEqual(
      refused(
        'HTTP/1.1 431 Request Header Fields Too Large',
        'NEXO_ERR_TOO_LARGE',
        'the request line and headers exceed 16 KiB; send a shorter path or fewer, shorter headers.',
      ),
    );
  });

  it('answers an HTTP/1.1 request without Host 400 naming the header, not Node’s bare 400', async () => {
    const answer = parseAnswer(await rawExchange(port, 'GET /fhir/r4/metadata HTTP/1.1\r\n\r\n'));
    expect(answer).toEqual(
      refused(
        'HTTP/1.1 400 Bad Request',
        'NEXO_ERR_UNPARSABLE',
        'the request is not valid HTTP/1.1: it has no Host header; send one.',
        'Host',
      ),
    );
    // HTTP/1.0 needs none.
    const old = await rawExchange(port, 'GET /fhir/r4/metadata HTTP/1.0\r\n\r\n');
    expect(old).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(old).toContain('{"resourceType":"CapabilityStatement"}');
  });

  it('logs the error code only, never the bytes it could not parse', async () => {
    const before = logLines.length;
    await rawExchange(
      port,
      `GET /fhir/r4/Patient?cpf=${CPF} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nX Cpf: ${CPF}\r\n\r\n`,
    );
    const lines = logLines.slice(before).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map(({ level, code, statusCode, msg }) => ({ level, code, statusCode, msg }))).toEqual([
      { level: 30, code: 'HPE_INVALID_HEADER_TOKEN', statusCode: 400, msg: 'malformed HTTP request refused' },
    ]);
    const logged = logLines.slice(before).join('\n');
    expect(logged).not.toContain(CPF);
    expect(logged).not.toContain(TOKEN);
    expect(logged).not.toContain('rawPacket');
  });
});

/**
 * Sends `bytes` to an edge-configured server on a real port (set up by `routes`) and returns what
 * came back before the server closed the connection.
 */
const exchangeWithEdge = async (
  options: { requestTimeout?: number; http?: object; logger?: FastifyServerOptions['logger'] },
  bytes: string,
  routes: (app: FastifyInstance) => void = () => undefined,
): Promise<string> => {
  const app = Fastify({ ...EDGE_SERVER_OPTIONS, logger: false, ...options });
  installFhirEdge(app);
  routes(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    const address = app.server.address();
    return await rawExchange(typeof address === 'object' && address ? address.port : 0, bytes);
  } finally {
    await app.close();
  }
};

const TIMED_OUT = refused(
  'HTTP/1.1 408 Request Timeout',
  'NEXO_ERR_TIMEOUT',
  'the request did not arrive whole within the server’s time limit; send it again.',
);

describe('a request that does not arrive in time, over a real port', () => {
  it('is answered 408 with an OperationOutcome once Node’s request timeout passes', async () => {
    // The headers never end: the client stalls.
    const text = await exchangeWithEdge(
      // Node looks for expired requests every second (EDGE_SERVER_OPTIONS); sooner here.
      { requestTimeout: 300, http: { ...EDGE_SERVER_OPTIONS.http, connectionsCheckingInterval: 50 } },
      'GET /fhir/r4/metadata HTTP/1.1\r\nHost: x\r\n',
    );
    expect(parseAnswer(text)).toEqual(TIMED_OUT);
  });
});

describe('a request body that stops coming, over a real port', () => {
  it('is answered 408 with an OperationOutcome once the request timeout passes, and the route never runs', async () => {
    const logged: string[] = [];
    let ran = false;
    // The headers arrive whole; the body stops after 5 of its 100 bytes.
    const text = await exchangeWithEdge(
      {
        requestTimeout: 300,
        logger: { level: 'info', stream: { write: (line: string) => void logged.push(line) } },
      },
      'POST /fhir/r4/Bundle HTTP/1.1\r\nHost: x\r\nContent-Type: application/fhir+json\r\nContent-Length: 100\r\n\r\n{"a":',
      (app) =>
        app.post('/fhir/r4/Bundle', async () => {
          ran = true;
          return {};
        }),
    );
    expect(parseAnswer(text)).toEqual(TIMED_OUT);
    expect(ran).toBe(false);
    expect(logged.filter((line) => (JSON.parse(line) as { level: number }).level >= 50)).toEqual([]);
  });
});

describe('an Expect other than 100-continue, over a real port', () => {
  it('is answered 417 with an OperationOutcome naming the header, not Node’s bare 417', async () => {
    const text = await exchangeWithEdge(
      {},
      'POST /fhir/r4/Bundle HTTP/1.1\r\nHost: x\r\nExpect: something-else\r\nContent-Type: application/fhir+json\r\nContent-Length: 2\r\n\r\n{}',
    );
    const [head = '', body = ''] = text.split('\r\n\r\n');
    expect(head.split('\r\n')[0]).toBe('HTTP/1.1 417 Expectation Failed');
    expect(head).toMatch(/\r\ncontent-type: application\/fhir\+json; charset=utf-8/i);
    expect(JSON.parse(body)).toMatchObject({
      resourceType: 'OperationOutcome',
      issue: [{ expression: ['Expect'], details: { coding: [{ code: 'NEXO_ERR_EXPECTATION' }] } }],
    });
  });
});

/** A socket stand-in with what the handler uses: what it writes, and whether it closed it. */
const fakeSocket = (inFlight?: { headersSent: boolean }) => {
  const state = { written: '', destroyed: false };
  const socket = {
    get writable() {
      return !state.destroyed;
    },
    get destroyed() {
      return state.destroyed;
    },
    write: (text: string) => {
      state.written += text;
      return true;
    },
    destroy: () => {
      state.destroyed = true;
    },
    ...(inFlight ? { _httpMessage: inFlight } : {}),
  };
  return {
    socket: socket as unknown as Socket,
    written: () => state.written,
    destroyed: () => state.destroyed,
  };
};

const silentApp = { log: createLogger({ level: 'silent', name: 'test' }) } as unknown as FastifyInstance;
const connectionError = (code: string) => Object.assign(new Error(code), { code }) as ConnectionError;

describe('the client error handler on its own', () => {
  it('answers a request that did not arrive in time 408 (Node’s requestTimeout) and closes', () => {
    const { socket, written, destroyed } = fakeSocket();
    answerClientError.call(silentApp, connectionError('ERR_HTTP_REQUEST_TIMEOUT'), socket);
    expect(parseAnswer(written())).toEqual(
      refused(
        'HTTP/1.1 408 Request Timeout',
        'NEXO_ERR_TIMEOUT',
        'the request did not arrive whole within the server’s time limit; send it again.',
      ),
    );
    expect(destroyed()).toBe(true);
  });

  it('writes nothing over an answer already under way on the socket, and closes it', () => {
    const { socket, written, destroyed } = fakeSocket({ headersSent: true });
    answerClientError.call(silentApp, connectionError('HPE_INVALID_HEADER_TOKEN'), socket);
    expect({ written: written(), destroyed: destroyed() }).toEqual({ written: '', destroyed: true });
  });

  it('leaves a reset connection alone', () => {
    const { socket, written, destroyed } = fakeSocket();
    answerClientError.call(silentApp, connectionError('ECONNRESET'), socket);
    expect({ written: written(), destroyed: destroyed() }).toEqual({ written: '', destroyed: false });
  });
});
