import type { FastifyInstance } from 'fastify';
import { sendProblems } from './http.ts';
import { ERROR_ANSWERS } from './route-schemas.ts';

/** One thing a service needs before it can take traffic; `probe` throws (or rejects) when it is not there. */
export interface ReadinessCheck {
  readonly name: string;
  probe(): unknown;
}

/**
 * Something an operator must look at that does not keep the service from taking traffic: taking
 * the node out of a load balancer would not mend it, and restarting would not either. `/ready`
 * stays 200, with `status: "warn"` and the text under `warnings`.
 */
export interface ReadinessWarning {
  readonly name: string;
  /** What to look at, in a sentence without personal data; undefined when there is nothing. */
  inspect(): Promise<string | undefined> | string | undefined;
}

/** A probe that takes longer than this counts as failed: readiness must answer quickly. */
const PROBE_TIMEOUT_MS = 2_000;

const HEALTH_SCHEMA = {
  type: 'object',
  properties: {
    status: {
      type: 'string',
      enum: ['pass', 'warn'],
      description: '`warn`: ready, with something an operator must look at (see `warnings`).',
    },
    checks: {
      type: 'object',
      additionalProperties: { type: 'string', enum: ['pass', 'warn'] },
      description: 'Each readiness check by name.',
    },
    warnings: {
      type: 'object',
      additionalProperties: { type: 'string' },
      description: 'What each check in `warn` found.',
    },
  },
  required: ['status'],
} as const;

/** `/health` answers one thing: the process runs. */
const LIVENESS_SCHEMA = {
  type: 'object',
  properties: { status: { type: 'string', enum: ['pass'] } },
  required: ['status'],
} as const;

const withTimeout = async <T>(probe: () => T): Promise<Awaited<T>> => {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      Promise.resolve().then(probe),
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), PROBE_TIMEOUT_MS);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
};

const codeOf = (err: unknown): string | undefined => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

/**
 * `GET /health`: liveness, the process answers (never touches an engine, so a slow database does
 * not get the process restarted). `GET /ready`: every check passes, else 503 with an
 * OperationOutcome naming the failing checks (never their error text, which could carry a
 * connection string). Warnings never fail it: they turn `status` to `warn` (the `pass`/`warn`/`fail`
 * of the IETF draft on health check responses, where `warn` is still a 2xx), and on a 503 they
 * follow the failures as issues of severity `warning`.
 */
export const healthRoutes =
  (checks: readonly ReadinessCheck[], warnings: readonly ReadinessWarning[] = []) =>
  async (app: FastifyInstance) => {
    const tags = ['operations'];
    const liveness = { tags, summary: 'Liveness: the process answers', response: { 200: LIVENESS_SCHEMA } };
    app.get('/health', { schema: liveness }, async () => ({ status: 'pass' }));
    const readiness = {
      tags,
      summary: 'Readiness: every check passes (a warning leaves it 200); else 503 naming the failing checks',
      response: { 200: HEALTH_SCHEMA, '5xx': ERROR_ANSWERS['5xx'] },
    };
    app.get('/ready', { schema: readiness }, async (request, reply) => {
      const [results, found] = await Promise.all([
        Promise.all(
          checks.map(async (check) => {
            try {
              await withTimeout(() => check.probe());
              return { name: check.name, ok: true };
            } catch (err) {
              request.log.warn({ check: check.name, code: codeOf(err) }, 'not ready');
              return { name: check.name, ok: false };
            }
          }),
        ),
        Promise.all(
          warnings.map(async (warning) => {
            try {
              return { name: warning.name, text: await withTimeout(() => warning.inspect()) };
            } catch (err) {
              request.log.warn({ check: warning.name, code: codeOf(err) }, 'readiness warning not checked');
              return { name: warning.name, text: 'could not be checked.' };
            }
          }),
        ),
      ]);
      const raised = found.filter((w): w is { name: string; text: string } => w.text !== undefined);
      const failed = results.filter((r) => !r.ok);
      if (failed.length > 0) {
        return sendProblems(reply, [
          ...failed.map((r) => ({
            code: 'NEXO_ERR_UNAVAILABLE' as const,
            message: `not ready: ${r.name} failed its check.`,
          })),
          ...raised.map((w) => ({
            code: 'NEXO_ERR_UNAVAILABLE' as const,
            severity: 'warning' as const,
            message: `${w.name}: ${w.text}`,
          })),
        ]);
      }
      return {
        status: raised.length > 0 ? 'warn' : 'pass',
        checks: Object.fromEntries([
          ...results.map((r) => [r.name, 'pass']),
          ...found.map((w) => [w.name, w.text === undefined ? 'pass' : 'warn']),
        ]),
        ...(raised.length > 0 ? { warnings: Object.fromEntries(raised.map((w) => [w.name, w.text])) } : {}),
      };
    });
  };
