import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { toOperationOutcome } from '@nexo/fhir';
import { answeredProblemOf, correlationIdOf, jsonAnswerType } from '@nexo/runtime';
import type { AuditActor, AuditEvent, AuditLog, Pseudonymizer } from '@nexo/audit';
import { CHALLENGES } from './challenges.ts';
import type { RequestBudget } from './request-budget.ts';

/** What the edge learnt about a request while answering it. */
interface Noted {
  actor?: AuditActor;
  /** The actor's token was verified (not merely claimed by a refused one). */
  verified?: boolean;
  reason?: string;
  /** Why the bearer proves no actor, when the trail checked it itself (see IdentifyBearer). */
  bearerReason?: string;
  /** A token was presented (so a 401 answers `error="invalid_token"`). */
  presentedToken?: boolean;
  /** A 429 that is its key's first refusal of the window: written, unlike the rest (isAudited). */
  throttled?: boolean;
}

/** Why a request's bearer token proves no actor. */
export interface BearerRefusal {
  readonly reason: string;
  /** Who a well-signed but refused token speaks for (a revoked sender token). */
  readonly claimed?: AuditActor;
  /** A token was presented (so a 401 answers `error="invalid_token"`). */
  readonly presentedToken: boolean;
}

/** What a request's bearer token proves: an actor, or why none. */
export type BearerIdentity = { readonly actor: AuditActor } | BearerRefusal;

/**
 * Checks the credential `route` takes (a sender, citizen, identity feed or admin token) on the
 * request; undefined for a route that takes none. The trail calls it for an audited request whose
 * route never said who was asking: one answered before its handler authenticated it (content
 * negotiation, the body parser, a route schema) or a route that checks its token without the
 * authenticator (the identity feed). So the entry names whoever's token was valid, whatever status.
 */
export type IdentifyBearer = (request: FastifyRequest, route: string) => Promise<BearerIdentity | undefined>;

export interface AuditTrail {
  readonly log: AuditLog;
  readonly pseudonym: Pseudonymizer;
  /** The request speaks for this actor (authentication succeeded). */
  identify(request: FastifyRequest, actor: AuditActor): void;
  /** Why the request is refused, and who it claimed to be when that is known. */
  refuse(request: FastifyRequest, reason: string, claimed?: AuditActor, presentedToken?: boolean): void;
  /** Adds a reason to an answer (e.g. a record of another establishment answered as missing). */
  annotate(request: FastifyRequest, reason: string): void;
  /**
   * The request is refused by its principal's rate limit for the first time this window: its 429
   * is written, with `reason`, although 429s are not (isAudited).
   */
  throttled(request: FastifyRequest, reason: string): void;
  /**
   * Installs the hook that writes the entries; call on the root instance before the routes.
   * `identifyBearer` names the actor of entries whose route did not (see IdentifyBearer).
   */
  install(app: FastifyInstance, identifyBearer?: IdentifyBearer): void;
}

/**
 * Routes on individual data outside the citizen API, audited whatever the method: stored documents,
 * the identity feed (persons, their identifiers, merges: a merge decides who reads whose records),
 * the establishments' correction inboxes and their answers, certificate verifications.
 */
const INDIVIDUAL_DATA = new RegExp(
  [
    '^/(?:api/)?fhir/r4/Bundle/:id$',
    '^/identity/',
    '^/establishment/v1/correction-requests',
    '^/public/v1/certificates/verify/',
  ].join('|'),
);
const ALWAYS = /^\/(?:citizen|auth|admin)\/|^\/dev-issuer\/login$/;
const DENIED = new Set([401, 403]);

/**
 * Which answers enter the audit trail: every citizen API call, every call on individual data
 * (INDIVIDUAL_DATA, reads and writes), every token request and admin call, and every 401/403
 * anywhere. A request that reached no route (an unknown path, a path that cannot be decoded) is
 * not, unless it is a 401/403: it named no data and no route authenticated it.
 */
export const isAudited = (route: string | undefined, status: number): boolean => {
  // A request over its rate limit never reached data; auditing each one would let a flood write
  // the audit log at the flood's pace. The first of each principal's or address's window is
  // written all the same (Noted.throttled), so who hit a limit is on record.
  if (status === 429) return false;
  if (DENIED.has(status)) return true;
  if (route === undefined) return false;
  if (ALWAYS.test(route)) return true;
  return INDIVIDUAL_DATA.test(route);
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
  /**
   * Each connection's peer, read when it opened. A client that breaks off its request after the
   * headers (a malformed body) gets its socket destroyed before the route's answer is audited, and
   * `request.ip` reads the address off the socket: undefined by then.
   */
  const peers = new WeakMap<Socket, string>();
  /** `request.ip` (the trusted proxies' client, security.md), else the connection's peer. */
  const addressOf = (request: FastifyRequest): string =>
    request.ip ?? peers.get(request.raw.socket) ?? 'unknown';

  /** Asks the bearer who it is, when the route answered without saying. */
  const learnBearer = async (request: FastifyRequest, route: string, identifyBearer: IdentifyBearer) => {
    const entry = note(request);
    if (entry.actor !== undefined || entry.reason !== undefined) return;
    let found: BearerIdentity | undefined;
    try {
      found = await identifyBearer(request, route);
    } catch (err) {
      request.log.warn({ err: { message: (err as Error).message } }, 'audit trail: bearer check failed');
      return;
    }
    if (found === undefined) return;
    if ('actor' in found) {
      entry.actor = found.actor;
      entry.verified = true;
      return;
    }
    entry.bearerReason = found.reason;
    if (found.claimed) entry.actor = found.claimed;
    if (found.presentedToken) entry.presentedToken = true;
  };

  /**
   * Why the request was refused: what a route noted; else, for a 401, why its bearer proves no
   * actor; else the code it was answered with (`NEXO_ERR_NOT_ACCEPTABLE`).
   */
  const reasonOf = (request: FastifyRequest, status: number, seen: Noted): string | undefined => {
    if (seen.reason !== undefined) return seen.reason;
    if (status < 400) return undefined;
    if (status === 401) return seen.bearerReason ?? answeredProblemOf(request);
    return answeredProblemOf(request) ?? seen.bearerReason;
  };

  const eventOf = (request: FastifyRequest, reply: FastifyReply, route: string | undefined): AuditEvent => {
    const seen = noted.get(request) ?? {};
    const actor: AuditActor = seen.actor ?? { kind: 'anonymous', id: '-' };
    const method = request.method === 'HEAD' ? 'GET' : request.method;
    const reason = reasonOf(request, reply.statusCode, seen);
    return {
      at: clock().toISOString(),
      actor,
      origin: {
        address: addressOf(request),
        // The establishment that tried, allowed or refused, once its token was verified.
        ...(actor.kind === 'establishment' && seen.verified ? { establishment: actor.id } : {}),
      },
      action: `${method} ${route ?? '(no route)'}`,
      ...(route ? { resource: resourceOf(request, route) } : {}),
      outcome: outcomeOf(reply.statusCode),
      status: reply.statusCode,
      ...(reason ? { reason } : {}),
      correlationId: correlationIdOf(request),
    };
  };

  return {
    log,
    pseudonym,
    identify: (request, actor) => {
      const entry = note(request);
      entry.actor = actor;
      entry.verified = true;
    },
    refuse: (request, reason, claimed, presentedToken) => {
      const entry = note(request);
      entry.reason = reason;
      if (claimed) {
        entry.actor = claimed;
        entry.verified = false;
      }
      if (presentedToken) entry.presentedToken = true;
    },
    annotate: (request, reason) => {
      note(request).reason = reason;
    },
    throttled: (request, reason) => {
      const entry = note(request);
      entry.reason = reason;
      entry.throttled = true;
    },
    install: (app, identifyBearer) => {
      /** Writes the request's entry; false (and a log line) when the trail cannot be written. */
      const append = async (request: FastifyRequest, reply: FastifyReply): Promise<boolean> => {
        try {
          await log.append(eventOf(request, reply, request.routeOptions.url));
          return true;
        } catch (err) {
          request.log.error({ err: { message: (err as Error).message } }, 'audit trail write failed');
          return false;
        }
      };
      app.server.on('connection', (socket: Socket) => {
        if (socket.remoteAddress !== undefined) peers.set(socket, socket.remoteAddress);
      });
      app.addHook('onSend', async (request, reply, payload) => {
        if (reply.statusCode === 401) {
          const refusal = options.refusals.take(addressOf(request));
          if (refusal !== undefined) {
            const { retryAfterSeconds } = refusal;
            reply.code(429).header('retry-after', String(retryAfterSeconds));
            reply.type(jsonAnswerType(request)).removeHeader('www-authenticate');
            // The address's first 429 of the window is on record (its route, its bearer's claim);
            // a refusal goes out whatever the trail says: it hands out no individual data.
            if (refusal.first) {
              note(request).reason =
                `rate limited: over ${options.refusals.max} refused authentications a minute from this address`;
              await append(request, reply);
            }
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
        const route = request.routeOptions.url;
        const audited = isAudited(route, reply.statusCode) || noted.get(request)?.throttled === true;
        if (audited && route !== undefined && identifyBearer)
          await learnBearer(request, route, identifyBearer);
        if (reply.statusCode === 401 && !reply.hasHeader('www-authenticate'))
          reply.header(
            'www-authenticate',
            noted.get(request)?.presentedToken ? CHALLENGES.invalidToken : CHALLENGES.bearer,
          );
        if (!audited || (await append(request, reply)) || reply.statusCode >= 400) return payload;
        // No individual data leaves without its audit entry (art. 34): fail closed.
        reply.code(503).type(jsonAnswerType(request));
        return JSON.stringify(
          toOperationOutcome([
            { code: 'NEXO_ERR_UNAVAILABLE', message: 'the audit trail cannot be written; retry later.' },
          ]),
        );
      });
    },
  };
};
