import type { FastifyInstance, FastifyReply } from 'fastify';
import { NexoError } from '@nexo/fhir';

/**
 * Options every Nexo fastify instance is created with:
 * - fastify's own 503 while closing is plain JSON; Nexo answers it itself, as an OperationOutcome
 *   (`installDraining`);
 * - ajv validates route schemas strictly and never changes a request (no coercion, no removal of
 *   unknown properties, no defaults), like the document validator.
 */
export const EDGE_SERVER_OPTIONS = {
  return503OnClosing: false,
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
