import { answerClientError } from './client-errors.ts';
import { answerFrameworkError } from './http.ts';
import type { SecurityConfig } from './security-config.ts';

/**
 * Options every Nexo fastify instance is created with:
 * - errors the router raises before any route runs (a path that cannot be decoded, one too long)
 *   are OperationOutcomes (`answerFrameworkError`), not fastify's JSON;
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
  frameworkErrors: answerFrameworkError,
  clientErrorHandler: answerClientError,
  // Node looks for requests past `requestTimeout` every `connectionsCheckingInterval` (30 s by
  // default): once a second, so a 408 comes within a second of the limit, not up to 30 s after.
  http: { requireHostHeader: false, connectionsCheckingInterval: 1_000 },
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
 * The part of every service's fastify options its configuration sets: how long a request may take
 * to arrive and a socket may idle (408 past them), and the proxies whose `X-Forwarded-For` names
 * the client (`request.ip`, which rate limits and audit entries use).
 */
export const configuredServerOptions = (
  security: Pick<SecurityConfig, 'requestTimeoutMs' | 'connectionTimeoutMs' | 'trustedProxies'>,
): { requestTimeout: number; connectionTimeout: number; trustProxy?: string[] } => ({
  requestTimeout: security.requestTimeoutMs,
  connectionTimeout: security.connectionTimeoutMs,
  ...(security.trustedProxies ? { trustProxy: [...security.trustedProxies] } : {}),
});
