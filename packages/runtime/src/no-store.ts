import type { FastifyInstance } from 'fastify';

/**
 * Answers that carry a citizen's health data stay out of every cache: the browser's on a shared
 * computer (a UBS kiosk, a family PC, a pharmacy's counter), where the next user would find them
 * on disk, and any proxy's. Every answer of `app`'s routes, errors included, says
 * `Cache-Control: no-store`, as the COVID-19 certificate and the token endpoints already did: the
 * citizen API, and the senders' and the registry's routes (a document read back, the submission
 * and rejection lists, the correction inbox, a person of the identity feed). Not for the public
 * certificate keys, which are meant to be cached.
 */
export const answerNoStore = (app: FastifyInstance): void => {
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('cache-control', 'no-store');
    return payload;
  });
};
