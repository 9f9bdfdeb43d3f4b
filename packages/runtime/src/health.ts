import type { FastifyInstance } from 'fastify';
import { sendProblems } from './http.ts';

/** One thing a service needs before it can take traffic; `probe` throws (or rejects) when it is not there. */
export interface ReadinessCheck {
  readonly name: string;
  probe(): unknown;
}

/** A probe that takes longer than this counts as failed: readiness must answer quickly. */
const PROBE_TIMEOUT_MS = 2_000;

const HEALTH_SCHEMA = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['pass'] },
    checks: {
      type: 'object',
      additionalProperties: { type: 'string', enum: ['pass'] },
      description: 'Each readiness check by name.',
    },
  },
  required: ['status'],
} as const;

const withTimeout = async (probe: () => unknown): Promise<void> => {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      Promise.resolve().then(probe),
      new Promise((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), PROBE_TIMEOUT_MS);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
};

/**
 * `GET /health`: liveness, the process answers (never touches an engine, so a slow database does
 * not get the process restarted). `GET /ready`: every check passes, else 503 with an
 * OperationOutcome naming the failing checks (never their error text, which could carry a
 * connection string).
 */
export const healthRoutes = (checks: readonly ReadinessCheck[]) => async (app: FastifyInstance) => {
  const schema = { tags: ['operations'], response: { 200: HEALTH_SCHEMA } };
  app.get('/health', { schema: { ...schema, summary: 'Liveness: the process answers' } }, async () => ({
    status: 'pass',
  }));
  app.get(
    '/ready',
    { schema: { ...schema, summary: 'Readiness: engines reachable, projector running' } },
    async (request, reply) => {
      const results = await Promise.all(
        checks.map(async (check) => {
          try {
            await withTimeout(() => check.probe());
            return { name: check.name, ok: true };
          } catch (err) {
            const code = (err as { code?: unknown } | null)?.code;
            request.log.warn(
              { check: check.name, code: typeof code === 'string' ? code : undefined },
              'not ready',
            );
            return { name: check.name, ok: false };
          }
        }),
      );
      const failed = results.filter((r) => !r.ok);
      if (failed.length > 0) {
        return sendProblems(
          reply,
          failed.map((r) => ({
            code: 'NEXO_ERR_UNAVAILABLE',
            message: `not ready: ${r.name} failed its check.`,
          })),
        );
      }
      return { status: 'pass', checks: Object.fromEntries(results.map((r) => [r.name, 'pass'])) };
    },
  );
};
