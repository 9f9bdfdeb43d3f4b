import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isNexoError, statusOf, toOperationOutcome, type NexoError, type Problem } from '@nexo/fhir';
import { isTransientFailure } from '@nexo/eventstore';
import { installBodyDeadline } from './body-deadline.ts';
import { installDraining } from './draining.ts';
import { refuseMissingHost } from './client-errors.ts';
import { installJsonBodyParser } from './json-body.ts';
import { installContentNegotiation } from './negotiation.ts';
import { allowedMethods, trackRoutes } from './route-table.ts';

export const FHIR_JSON = 'application/fhir+json';

/** The code of the first problem each refused request was answered with (see `answeredProblemOf`). */
const answered = new WeakMap<FastifyRequest, Problem['code']>();

/** Answers problems as an OperationOutcome with the status of the first error. */
export const sendProblems = (
  reply: FastifyReply,
  problems: readonly Problem[],
  status = statusOf(problems),
): FastifyReply => {
  const first = problems[0];
  if (first) answered.set(reply.request, first.code);
  return reply.code(status).type(`${FHIR_JSON}; charset=utf-8`).send(toOperationOutcome(problems));
};

/**
 * The code of the first problem the request was answered with (`NEXO_ERR_NOT_ACCEPTABLE`, say), if
 * it was refused through `sendProblems` or the edge's error handler: what the audit trail records
 * as the reason of a refusal no route explained.
 */
export const answeredProblemOf = (request: FastifyRequest): Problem['code'] | undefined =>
  answered.get(request);

/** 405 with the methods the path allows (`Allow`), as an OperationOutcome. */
export const sendMethodNotAllowed = (
  request: FastifyRequest,
  reply: FastifyReply,
  allow: readonly string[],
): FastifyReply => {
  reply.header('allow', allow.join(', '));
  return sendProblems(reply, [
    {
      code: 'NEXO_ERR_METHOD_NOT_ALLOWED',
      message: `${request.method} is not allowed here; use ${allow.join(', ')}.`,
    },
  ]);
};

/**
 * The FHIR edge every service shares: JSON bodies under `JSON_BODY_TYPES` parsed once; every
 * non-2xx answer an OperationOutcome; a 5xx never carries a stack or input data.
 */
export const installFhirEdge = (app: FastifyInstance): void => {
  // Before any other hook: a request without Host is refused before anything reads it.
  app.addHook('onRequest', refuseMissingHost);
  installBodyDeadline(app);
  answerUnknownExpectation(app);
  trackRoutes(app);
  installDraining(app);
  installContentNegotiation(app);
  installJsonBodyParser(app);
  app.setNotFoundHandler((request, reply) => {
    // A known path asked with another method is 405 with the methods it allows. A route that
    // takes this method and still lands here (a file missing under a wildcard route) has no such
    // thing: 404.
    const allow = allowedMethods(app, request.url);
    if (allow.length > 0 && !allow.includes(request.method))
      return sendMethodNotAllowed(request, reply, allow);
    return sendProblems(reply, [
      {
        code: 'NEXO_ERR_NOT_FOUND',
        message: `no route ${request.method} ${request.url.split('?')[0] ?? ''}`,
      },
    ]);
  });
  app.setErrorHandler((err: FastifyError | NexoError, request, reply) => {
    if (isNexoError(err)) {
      if (err.retryAfterSeconds !== undefined) reply.header('retry-after', String(err.retryAfterSeconds));
      return sendProblems(reply, err.problems);
    }
    if ((err as FastifyError).statusCode === 503 || isTransientFailure(err)) {
      // A dependency said "not now" (a store's thread was lost, a pool is closing, the disk is
      // full or locked, the database cannot be reached): worth a retry, nothing was accepted.
      request.log.warn(
        { err: { message: err.message, code: (err as FastifyError).code } },
        'dependency unavailable',
      );
      reply.header('retry-after', '1');
      return sendProblems(reply, [
        {
          code: 'NEXO_ERR_UNAVAILABLE',
          message: 'a store Nexo reads is unavailable for a moment; retry later.',
        },
      ]);
    }
    const mapped = mapFastifyError(err as FastifyError);
    if (mapped) return sendProblems(reply, [mapped]);
    request.log.error(
      { err: { message: err.message, code: (err as FastifyError).code, stack: err.stack } },
      'unhandled error',
    );
    return sendProblems(reply, [
      { code: 'NEXO_ERR_INTERNAL', message: 'the request failed inside Nexo; it was logged. Retry later.' },
    ]);
  });
};

/**
 * An `Expect` other than `100-continue` reaches no route: Node answers it 417 itself, bare (no
 * content type, no body), unless the server listens for `checkExpectation`. This answers it as an
 * OperationOutcome instead, and closes the connection: the body, if one follows, is not read.
 */
const UNKNOWN_EXPECTATION: Problem = {
  code: 'NEXO_ERR_EXPECTATION',
  expression: 'Expect',
  message: 'Expect may only be 100-continue; send the request without it.',
};

const answerUnknownExpectation = (app: FastifyInstance): void => {
  app.server.on('checkExpectation', (_request, response) => {
    const body = JSON.stringify(toOperationOutcome([UNKNOWN_EXPECTATION]));
    response.writeHead(statusOf([UNKNOWN_EXPECTATION]), {
      'content-type': `${FHIR_JSON}; charset=utf-8`,
      'content-length': Buffer.byteLength(body),
      connection: 'close',
    });
    response.end(body);
  });
};

/**
 * Fastify's `frameworkErrors` option (in EDGE_SERVER_OPTIONS, server-options.ts): the errors the
 * router raises before a request reaches any route, which `setErrorHandler` never sees. Without it
 * Fastify answers them with its own JSON. They are a path whose percent-encoding does not decode
 * to UTF-8 (`/fhir/r4/Bundle/%ff`: FST_ERR_BAD_URL), a path parameter over the router's 100
 * characters (FST_ERR_MAX_PARAM_LENGTH; no id Nexo issues is that long) and a failing asynchronous
 * route constraint (FST_ERR_ASYNC_CONSTRAINT; Nexo declares none). Body parser errors do not come
 * this way: they reach a route, and the edge's error handler. No hook runs for these requests: no route, so no
 * authentication, no audit entry, no rate limit (see docs/security.md).
 */
export const answerFrameworkError = (
  err: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void => {
  const path = (request.url.split('?')[0] ?? '').slice(0, 200);
  switch (err.code) {
    case 'FST_ERR_BAD_URL':
      void sendProblems(reply, [
        {
          code: 'NEXO_ERR_UNPARSABLE',
          message: `the path ${path} cannot be read: a %-escape in it is not valid UTF-8 once decoded; encode each path segment as UTF-8 percent-escapes.`,
        },
      ]);
      return;
    case 'FST_ERR_MAX_PARAM_LENGTH':
      void sendProblems(reply, [
        {
          code: 'NEXO_ERR_UNPARSABLE',
          message: `the path ${path} cannot be read: a segment is longer than 100 characters, and no id in Nexo is.`,
        },
      ]);
      return;
    default:
      request.log.error({ err: { message: err.message, code: err.code } }, 'framework error before routing');
      void sendProblems(reply, [
        { code: 'NEXO_ERR_INTERNAL', message: 'the request failed inside Nexo; it was logged. Retry later.' },
      ]);
  }
};

const SEND_JSON: Problem = {
  code: 'NEXO_ERR_MEDIA_TYPE',
  message: `send the body as JSON: ${FHIR_JSON} (FHIR resources) or application/json.`,
};

const mapFastifyError = (err: FastifyError): Problem | undefined => {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return {
        code: 'NEXO_ERR_TOO_LARGE',
        message: 'the body exceeds the size limit (see the sender guide).',
      };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return SEND_JSON;
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { code: 'NEXO_ERR_UNPARSABLE', message: 'the body is empty or not valid JSON.' };
    case 'FST_ERR_VALIDATION':
      return validationProblem(err);
    case 'FST_STATIC_FORBIDDEN_PATH':
      // A path that leaves the folder of static files (`/docs/static/../x`): there is no such file.
      return { code: 'NEXO_ERR_NOT_FOUND', message: 'no such file.' };
    default:
      // The static file server's answers to a request's own headers (`Range`, `If-Match`).
      if (err.statusCode === 416)
        return { code: 'NEXO_ERR_RANGE', message: 'the Range asked for is not in the file; ask without it.' };
      if (err.statusCode === 412)
        return {
          code: 'NEXO_ERR_PRECONDITION',
          message: 'the file does not match If-Match or If-Unmodified-Since; ask without them.',
        };
      if (err.statusCode === 415) return SEND_JSON;
      if (err.statusCode === 413)
        return { code: 'NEXO_ERR_TOO_LARGE', message: 'the body exceeds the size limit.' };
      if (err.statusCode === 400)
        return { code: 'NEXO_ERR_UNPARSABLE', message: 'the request is malformed.' };
      return undefined;
  }
};

/**
 * A route schema's refusal, naming the field: `limit` for `?limit=1&limit=2`, `body.message` for a
 * body field. The schema's own words are kept, after the field's name.
 */
const validationProblem = (err: FastifyError): Problem => {
  const first = err.validation?.[0];
  const missing = (first?.params as { missingProperty?: unknown } | undefined)?.missingProperty;
  const path = [
    ...(first?.instancePath ?? '').split('/').filter((part) => part !== ''),
    ...(typeof missing === 'string' ? [missing] : []),
  ].join('.');
  const field =
    err.validationContext === 'querystring' || err.validationContext === 'params'
      ? path
      : [err.validationContext, path].filter(Boolean).join('.');
  return {
    code: 'NEXO_ERR_UNPARSABLE',
    ...(field ? { expression: field.slice(0, 128) } : {}),
    message: `${field || 'the request'} ${first?.message ?? 'is invalid'}.`,
  };
};
