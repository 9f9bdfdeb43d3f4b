import type { FastifyInstance, FastifyReply } from 'fastify';
import { NexoError } from '@nexo/fhir';
import { answerClientError } from './client-errors.ts';

/**
 * Options every Nexo fastify instance is created with:
 * - fastify's own 503 while closing is plain JSON; Nexo answers it itself, as an OperationOutcome
 *   (`installDraining`);
 * - ajv validates route schemas strictly and never changes a request (no coercion, no removal of
 *   unknown properties, no defaults), like the document validator;
 * - a request Node's HTTP parser refuses (a malformed header, a header block over the limit, a
 *   request that does not arrive in time) is a 400, 431 or 408 OperationOutcome with
 *   `Connection: close`, not fastify's JSON, and logs its error code only (client-errors.ts);
 * - an HTTP/1.1 request without `Host` reaches the edge, which refuses it as an OperationOutcome
 *   naming the header (`refuseMissingHost`), instead of Node's bare 400.
 */
export const EDGE_SERVER_OPTIONS = {
  return503OnClosing: false,
  clientErrorHandler: answerClientError,
  http: { requireHostHeader: false },
  ajv: {
    customOptions: {
      coerceTypes: false,
      removeAdditional: false,
      useDefaults: false,
      allErrors: true,
      strict: true,
    },
  },
} as const;

/**
 * Graceful shutdown: once `close()` starts, requests already in flight run to the end (`close()`
 * resolves only once they have answered, so engines closed after it lose nothing), and requests that still arrive
 * on an open keep-alive connection get 503 with `Connection: close` and `Retry-After`.
 */
export const installDraining = (app: FastifyInstance): void => {
  let draining = false;
  app.addHook('preClose', async () => {
    draining = true;
  });
  app.addHook('onRequest', async (_request, reply: FastifyReply) => {
    if (!draining) return;
    reply.header('connection', 'close').header('retry-after', '1');
    throw new NexoError('NEXO_ERR_UNAVAILABLE', 'Nexo is shutting down; retry the same request in a moment.');
  });
};
