import type { FastifyInstance, FastifyReply } from 'fastify';
import { NexoError } from '@nexo/fhir';

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
