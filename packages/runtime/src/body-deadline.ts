import type { ConnectionError, FastifyInstance } from 'fastify';
import { answerClientError } from './client-errors.ts';

/**
 * Node answers 408 to a request whose headers do not arrive within the server's `requestTimeout`,
 * but once the headers are in it hands the request over and no longer times it: a client that
 * stops in the middle of its body holds the request (and the route waiting for the body) until
 * the socket has idled for `connectionTimeout`, and is then dropped without an answer. This gives
 * the body the same limit, counted from the headers: past it, the same 408 OperationOutcome Node's
 * timeout gets (client-errors.ts), and the connection closed.
 */
export const installBodyDeadline = (app: FastifyInstance): void => {
  app.addHook('onRequest', (request, _reply, done) => {
    const message = request.raw;
    const limit = app.server.requestTimeout;
    // Only a request that announces a body can stop in the middle of one (a card read announces none).
    const announcesBody =
      message.headers['transfer-encoding'] !== undefined ||
      (message.headers['content-length'] !== undefined && message.headers['content-length'] !== '0');
    if (!announcesBody || message.complete || limit <= 0) return done();
    const timer = setTimeout(() => {
      if (message.complete) return;
      const timedOut = Object.assign(new Error('the request body did not arrive in time'), {
        code: 'ERR_HTTP_REQUEST_TIMEOUT',
      }) as ConnectionError;
      answerClientError.call(app, timedOut, message.socket);
    }, limit);
    timer.unref();
    const stop = () => clearTimeout(timer);
    message.once('end', stop);
    message.once('close', stop);
    done();
  });
};
