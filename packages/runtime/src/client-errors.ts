import { STATUS_CODES, maxHeaderSize } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NexoError, toOperationOutcome, type Problem } from '@nexo/fhir';

/**
 * Requests Node's HTTP parser refuses before Fastify sees a request: a header name with a space or
 * a control character, a request line that is not HTTP/1.1, a malformed Content-Length, a header
 * block over Node's limit, a request that does not arrive in time. Node emits `clientError` with
 * an `HPE_*` code (llhttp's) or `ERR_HTTP_REQUEST_TIMEOUT`, and Fastify answers it with its own JSON
 * (`{"error":"Bad Request","message":"Client Error"}`) unless the `clientErrorHandler` option says
 * otherwise. Here every one is an OperationOutcome, as any other error answer.
 *
 * Content-Type: `application/fhir+json; charset=utf-8`, always. Nothing of the request can be
 * trusted to tell its route, and every other error answer of Nexo (an unknown path, a `/ready` that
 * fails) carries the same type; a client that reads those reads this.
 */

interface ClientErrorAnswer {
  readonly status: 400 | 408 | 413 | 431;
  readonly problem: Problem;
}

const malformed = (message: string, expression?: string): ClientErrorAnswer => ({
  status: 400,
  problem: {
    code: 'NEXO_ERR_UNPARSABLE',
    message: `the request is not valid HTTP/1.1: ${message}`,
    ...(expression ? { expression } : {}),
  },
});

/** What each error code is answered; llhttp's codes are stable, its `reason` texts are not. */
const answerFor = (code: string | undefined): ClientErrorAnswer => {
  switch (code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return {
        status: 408,
        problem: {
          code: 'NEXO_ERR_TIMEOUT',
          message: 'the request did not arrive whole within the server’s time limit; send it again.',
        },
      };
    case 'HPE_HEADER_OVERFLOW':
      return {
        status: 431,
        problem: {
          code: 'NEXO_ERR_TOO_LARGE',
          message: `the request line and headers exceed ${Math.floor(maxHeaderSize / 1024)} KiB; send a shorter path or fewer, shorter headers.`,
        },
      };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return {
        status: 413,
        problem: {
          code: 'NEXO_ERR_TOO_LARGE',
          message: 'the chunk extensions of the chunked body are too long; send the body without them.',
        },
      };
    case 'HPE_INVALID_METHOD':
      return malformed(
        'the request line does not start with an HTTP method (is it TLS sent to a plain HTTP port?).',
      );
    case 'HPE_INVALID_URL':
      return malformed('the request target contains a character a URL does not allow; percent-encode it.');
    case 'HPE_INVALID_VERSION':
    case 'HPE_INVALID_CONSTANT':
      return malformed(
        'the request line must read METHOD /path HTTP/1.1, with the path percent-encoded (no spaces), ending in CR LF.',
      );
    case 'HPE_INVALID_HEADER_TOKEN':
      return malformed(
        'a header is malformed: a name with a space or another character names may not hold, a line without a colon, a value with a control character, or a folded (continued) line.',
      );
    case 'HPE_CR_EXPECTED':
    case 'HPE_LF_EXPECTED':
    case 'HPE_STRICT':
      return malformed('a line of the request does not end in CR LF.');
    case 'HPE_INVALID_CONTENT_LENGTH':
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
      return malformed(
        'Content-Length must be one decimal number, sent once, and never with Transfer-Encoding.',
        'Content-Length',
      );
    case 'HPE_INVALID_TRANSFER_ENCODING':
      return malformed(
        'Transfer-Encoding must end in chunked, and never come with Content-Length.',
        'Transfer-Encoding',
      );
    case 'HPE_INVALID_CHUNK_SIZE':
      return malformed('a chunk of the chunked body does not start with its size in hexadecimal.');
    default:
      return malformed('it cannot be parsed.');
  }
};

/** The response as bytes on the socket: no request, so no reply object to write it through. */
const responseText = ({ status, problem }: ClientErrorAnswer): string => {
  const body = JSON.stringify(toOperationOutcome([problem]));
  return [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`,
    'Content-Type: application/fhir+json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    // The parser stopped in the middle of the stream: nothing after it can be read as a request.
    'Connection: close',
    '',
    body,
  ].join('\r\n');
};

/** Node's `ServerResponse` in flight on a keep-alive socket (`socket._httpMessage`, as Node's own default checks). */
const responseInFlight = (socket: Socket): boolean =>
  (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;

/**
 * Fastify's `clientErrorHandler` for every service (in EDGE_SERVER_OPTIONS). Called with the Fastify
 * instance as `this`. Logs the error code and the status only: Node attaches the raw bytes it could
 * not parse (`err.rawPacket`), which may carry a token, a CPF in a path or a body; Fastify's own
 * handler logs the whole error. No hook runs, so there is no audit entry (docs/security.md).
 */
export function answerClientError(this: FastifyInstance, err: ConnectionError, socket: Socket): void {
  // A reset connection has nobody to answer (Node's and Fastify's defaults do the same).
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const answer = answerFor(err.code);
  this.log.info({ code: err.code, statusCode: answer.status }, 'malformed HTTP request refused');
  // Bytes written in the middle of another answer's would corrupt it: then only close.
  if (socket.writable && !responseInFlight(socket)) socket.write(responseText(answer));
  socket.destroy();
}

/**
 * Node refuses an HTTP/1.1 request without `Host` itself, with a bare 400 and no body, unless the
 * server is created with `requireHostHeader: false` (EDGE_SERVER_OPTIONS). This answers it as
 * an OperationOutcome naming the header instead; `installFhirEdge` adds it before any other hook.
 */
export const refuseMissingHost = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
  if (request.raw.httpVersion !== '1.1' || request.headers.host !== undefined) return;
  reply.header('connection', 'close');
  throw new NexoError('NEXO_ERR_UNPARSABLE', [
    {
      code: 'NEXO_ERR_UNPARSABLE',
      expression: 'Host',
      message: 'the request is not valid HTTP/1.1: it has no Host header; send one.',
    },
  ]);
};
