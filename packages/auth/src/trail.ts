import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { toOperationOutcome } from '@nexo/fhir';
import { FHIR_JSON } from '@nexo/runtime';
import type { AuditActor, AuditEvent, AuditLog, Pseudonymizer } from '@nexo/audit';
import type { RequestBudget } from './request-budget.ts';

/** What the edge learnt about a request while answering it. */
interface Noted {
  actor?: AuditActor;
  reason?: string;
  /** A token was presented (so a 401 answers `error="invalid_token"`). */
  presentedToken?: boolean;
}

export interface AuditTrail {
  readonly log: AuditLog;
  readonly pseudonym: Pseudonymizer;
  /** The request speaks for this actor (authentication succeeded). */
  identify(request: FastifyRequest, actor: AuditActor): void;
  /** Why the request is refused, and who it claimed to be when that is known. */
  refuse(request: FastifyRequest, reason: string, claimed?: AuditActor, presentedToken?: boolean): void;
  /** Adds a reason to an answer (e.g. a record of another establishment answered as missing). */
  annotate(request: FastifyRequest, reason: string): void;
  /** Installs the hook that writes the entries; call on the root instance before the routes. */
  install(app: FastifyInstance): void;
}

/** Reads of individual data outside the citizen API: stored documents, persons, correction inboxes, certificates. */
const INDIVIDUAL_READ = new RegExp(
  [
    '^/(?:api/)?fhir/r4/Bundle/:id$',
    '^/identity/v1/persons/:personId$',
    '^/establishment/v1/correction-requests',
    '^/public/v1/certificates/verify/',
  ].join('|'),
);
const ALWAYS = /^\/(?:citizen|auth|admin)\/|^\/dev-issuer\/login$/;
const DENIED = new Set([401, 403]);

/**
 * Which answers enter the audit trail: every citizen API call, every read of individual data
 * (INDIVIDUAL_READ), every token request and admin call, and every 401/403 anywhere.
 */
export const isAudited = (method: string, route: string | undefined, status: number): boolean => {
  // A request over its rate limit never reached authentication or data; auditing it would let a
  // flood write the audit log at the flood's pace.
  if (status === 429) return false;
  if (DENIED.has(status)) return true;
  if (route === undefined) return false;
  if (ALWAYS.test(route)) return true;
  return (method === 'GET' || method === 'HEAD') && INDIVIDUAL_READ.test(route);
};

const SAFE_VALUE = /^[\w.:-]{1,64}$/;

/** The route with its parameters filled in, each reduced to a safe token. */
const resourceOf = (request: FastifyRequest, route: string): string => {
  const params = (request.params ?? {}) as Record<string, unknown>;
  return route.replace(/:(\w+)/g, (_m, name: string) => {
    const value = params[name];
    return typeof value === 'string' && SAFE_VALUE.test(value) ? value : '[invalid]';
  });
};

const correlationIdOf = (request: FastifyRequest): string => {
  const header = request.headers['x-correlation-id'];
  const value = Array.isArray(header) ? header[0] : header;
  return value && /^[\w.:-]{1,128}$/.test(value) ? value : request.id;
};

const outcomeOf = (status: number): AuditEvent['outcome'] =>
  status < 400 ? 'allowed' : status >= 500 ? 'error' : 'denied';

export const createAuditTrail = (
  log: AuditLog,
  pseudonym: Pseudonymizer,
  clock: () => Date,
  options: {
    /**
     * 401s per client address and minute. Each 401 is audited; past this budget the address gets
     * 429 instead, which is not, so a flood of missing or forged tokens cannot drive the log's
     * growth (nor its fsyncs) at the pace of the flood.
     */
    readonly refusals: RequestBudget;
  },
): AuditTrail => {
  const noted = new WeakMap<FastifyRequest, Noted>();
  const note = (request: FastifyRequest): Noted => {
    let entry = noted.get(request);
    if (!entry) noted.set(request, (entry = {}));
    return entry;
  };

  const eventOf = (request: FastifyRequest, reply: FastifyReply, route: string | undefined): AuditEvent => {
    const seen = noted.get(request) ?? {};
    const actor: AuditActor =
      seen.actor ??
      (route?.startsWith('/identity/') && reply.statusCode < 400
        ? { kind: 'registry', id: 'identity-feed' }
        : { kind: 'anonymous', id: '-' });
    const method = request.method === 'HEAD' ? 'GET' : request.method;
    return {
      at: clock().toISOString(),
      actor,
      origin: {
        address: request.ip,
        ...(actor.kind === 'establishment' && seen.reason === undefined ? { establishment: actor.id } : {}),
      },
      action: `${method} ${route ?? '(no route)'}`,
      ...(route ? { resource: resourceOf(request, route) } : {}),
      outcome: outcomeOf(reply.statusCode),
      status: reply.statusCode,
      ...(seen.reason ? { reason: seen.reason } : {}),
      correlationId: correlationIdOf(request),
    };
  };

  return {
    log,
    pseudonym,
    identify: (request, actor) => {
      note(request).actor = actor;
    },
    refuse: (request, reason, claimed, presentedToken) => {
      const entry = note(request);
      entry.reason = reason;
      if (claimed) entry.actor = claimed;
      if (presentedToken) entry.presentedToken = true;
    },
    annotate: (request, reason) => {
      note(request).reason = reason;
    },
    install: (app) => {
      app.addHook('onSend', async (request, reply, payload) => {
        if (reply.statusCode === 401) {
          const retryAfterSeconds = options.refusals.take(request.ip);
          if (retryAfterSeconds !== undefined) {
            reply.code(429).header('retry-after', String(retryAfterSeconds));
            reply.type(`${FHIR_JSON}; charset=utf-8`).removeHeader('www-authenticate');
            return JSON.stringify(
              toOperationOutcome([
                {
                  code: 'NEXO_ERR_RATE_LIMITED',
                  message: `too many refused authentications from this client address: at most ${options.refusals.max} per minute; retry in ${retryAfterSeconds} s.`,
                },
              ]),
            );
          }
        }
        if (reply.statusCode === 401 && !reply.hasHeader('www-authenticate'))
          reply.header(
            'www-authenticate',
            noted.get(request)?.presentedToken
              ? 'Bearer realm="nexo", error="invalid_token"'
              : 'Bearer realm="nexo"',
          );
        const route = request.routeOptions.url;
        if (!isAudited(request.method, route, reply.statusCode)) return payload;
        try {
          await log.append(eventOf(request, reply, route));
          return payload;
        } catch (err) {
          request.log.error({ err: { message: (err as Error).message } }, 'audit trail write failed');
          if (reply.statusCode >= 400) return payload;
          // No individual data leaves without its audit entry (art. 34): fail closed.
          reply.code(503).type(`${FHIR_JSON}; charset=utf-8`);
          return JSON.stringify(
            toOperationOutcome([
              { code: 'NEXO_ERR_UNAVAILABLE', message: 'the audit trail cannot be written; retry later.' },
            ]),
          );
        }
      });
    },
  };
};
