import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Outbox, RelayStatus } from '@nexo/eventstore';
import {
  EDGE_SERVER_OPTIONS,
  healthRoutes,
  installFhirEdge,
  newId,
  type configuredServerOptions,
  type Logger,
} from '@nexo/runtime';

export interface RelayAppDeps {
  readonly relay: { status(): RelayStatus };
  readonly outbox: Outbox;
  readonly logger: Logger;
  /** The configured timeouts (and trusted proxies), as every service's edge has them. */
  readonly serverOptions: ReturnType<typeof configuredServerOptions>;
}

/** Failed cycles in a row after which the relay stops reporting ready (about 20 s of back-off). */
export const UNREADY_AFTER_FAILURES = 8;

const STATUS_SCHEMA = {
  type: 'object',
  properties: {
    running: { type: 'boolean' },
    published: { type: 'integer', description: 'Events published and marked since start.' },
    outboxDepth: { type: 'integer', description: 'Events waiting for publication.' },
    consecutiveFailures: { type: 'integer' },
    lastSuccessAt: { type: 'string', format: 'date-time' },
  },
  required: ['running', 'published', 'outboxDepth', 'consecutiveFailures'],
} as const;

/**
 * The relay's HTTP face, for orchestration and operators: `/health` (the process answers),
 * `/ready` (the outbox is reachable and the relay is not stuck failing) and `/relay/v1/status`.
 * Error texts stay in the logs: they can name hosts. Every error answer is an OperationOutcome, as
 * on the other services: an unknown path (404), another method (405 with `Allow`), a path that
 * cannot be decoded (400), a failure (500, no internals), malformed HTTP (EDGE_SERVER_OPTIONS).
 * The app never listens; `main.ts` does.
 */
export const build = async (deps: RelayAppDeps): Promise<FastifyInstance> => {
  const app = Fastify({
    ...EDGE_SERVER_OPTIONS,
    ...deps.serverOptions,
    loggerInstance: deps.logger as FastifyBaseLogger,
    genReqId: () => newId(),
  });
  installFhirEdge(app);
  await app.register(
    healthRoutes([
      { name: 'outbox', probe: () => deps.outbox.depth() },
      {
        name: 'relay',
        probe: () => {
          const status = deps.relay.status();
          if (!status.running) throw new Error('the relay is not running');
          if (status.consecutiveFailures >= UNREADY_AFTER_FAILURES)
            throw new Error('the relay keeps failing');
        },
      },
    ]),
  );
  app.get(
    '/relay/v1/status',
    { schema: { tags: ['operations'], response: { 200: STATUS_SCHEMA } } },
    async () => {
      const status = deps.relay.status();
      return {
        running: status.running,
        published: status.published,
        outboxDepth: await deps.outbox.depth(),
        consecutiveFailures: status.consecutiveFailures,
        ...(status.lastSuccessAt === undefined ? {} : { lastSuccessAt: status.lastSuccessAt }),
      };
    },
  );
  return app;
};
