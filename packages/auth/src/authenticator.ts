import type { FastifyRequest } from 'fastify';
import { NexoError, isNexoError } from '@nexo/fhir';
import type { CitizenId } from '@nexo/identifiers';
import { authenticateCitizen, authenticateEstablishment } from '@nexo/runtime';
import type { AuditActor } from '@nexo/audit';
import { bearerToken, isDevelopmentToken } from './bearer.ts';
import type { CitizenTokenVerifier } from './citizen-tokens.ts';
import type { RequestBudget } from './request-budget.ts';
import type { RegistrationCache } from './registration-cache.ts';
import type { SenderTokens } from './sender-tokens.ts';
import type { TokenCheck, TokenRefusal } from './token-failure.ts';
import type { AuditTrail, BearerIdentity, BearerRefusal } from './trail.ts';

/**
 * Who a request speaks for. Routes call it explicitly (`await deps.auth.establishment(request)`)
 * and get the principal or a 401 OperationOutcome; each outcome is noted for the audit trail.
 */
export interface Authenticator {
  /** The CNES of the establishment: a token from `POST /auth/token`. */
  establishment(request: FastifyRequest): Promise<string>;
  /** The citizen: an OIDC access token whose subject is their CPF. */
  citizen(request: FastifyRequest): Promise<CitizenId>;
  /** Adds a reason to the request's audit entry (a refused read answered as 404, say). */
  annotate(request: FastifyRequest, reason: string): void;
}

/** An authenticator that can also say what a request's bearer proves, without admitting it. */
export interface CheckingAuthenticator extends Authenticator {
  /**
   * The actor the bearer token proves, or why it proves none: the same checks as `establishment`
   * and `citizen`, without spending the request budget or answering. For the audit trail, when a
   * request was answered before its route authenticated it (a 406, a body the parser refused).
   */
  bearer(request: FastifyRequest, what: 'establishment' | 'citizen'): Promise<BearerIdentity>;
}

/** A bearer check's outcome: the principal and its actor, or the refusal and the answer to throw. */
type Verdict<T> =
  | { readonly ok: true; readonly principal: T; readonly actor: AuditActor }
  | { readonly ok: false; readonly refusal: BearerRefusal; readonly error: NexoError };

const refused = (refusal: BearerRefusal, error: NexoError): Verdict<never> => ({ ok: false, refusal, error });

export interface AuthenticatorDeps {
  readonly mode: 'development' | 'production';
  readonly senderTokens: SenderTokens;
  /** Whether a signed sender token's registration is still active (disabled establishments). */
  readonly registrations: RegistrationCache;
  readonly citizenTokens: CitizenTokenVerifier;
  readonly trail: AuditTrail;
  /** Requests per minute of each authenticated sender and citizen. */
  readonly limit: RequestBudget;
}

const GET_SENDER_TOKEN =
  'get one from POST /auth/token (client credentials) and send it as Authorization: Bearer <token>';
const GET_CITIZEN_TOKEN =
  'sign in with the citizen identity provider and send its access token as Authorization: Bearer <token>';

/** What a sender is told about a revoked token: the reason class, never the operator's reason. */
const revokedMessage = (refusal: TokenRefusal, howTo: string): string => {
  switch (refusal.revoked) {
    case 'disabled':
      return (
        'the establishment token has been revoked: the establishment’s registration is disabled; ' +
        'the hub operator must register it again before it gets new tokens.'
      );
    case 'rotated':
      return `the establishment token has been revoked: the establishment’s secret was rotated after it was issued; ${howTo}, with the new secret.`;
    default:
      return `the establishment token has been revoked: it was issued before the establishment was registered again; ${howTo}.`;
  }
};

export const createAuthenticator = (deps: AuthenticatorDeps): CheckingAuthenticator => {
  const { trail } = deps;

  /** Notes who the request speaks for, then spends one request of their budget. */
  const admit = <T>(
    request: FastifyRequest,
    what: 'establishment' | 'citizen',
    actor: AuditActor,
    principal: T,
  ): T => {
    trail.identify(request, actor);
    const refusal = deps.limit.take(`${actor.kind}:${actor.id}`);
    if (refusal === undefined) return principal;
    const { retryAfterSeconds } = refusal;
    if (refusal.first) trail.throttled(request, `rate limited: over ${deps.limit.max} requests a minute`);
    throw new NexoError(
      'NEXO_ERR_RATE_LIMITED',
      `too many requests for this ${what}: at most ${deps.limit.max} per minute; retry in ${retryAfterSeconds} s.`,
      { retryAfterSeconds },
    );
  };

  /** What the bearer proves, by the shared steps: no token, development token, signed token. */
  const verdictOf = async <T>(
    request: FastifyRequest,
    what: 'establishment' | 'citizen',
    verify: (token: string) => Promise<TokenCheck<T>>,
    development: () => T,
    actorOf: (principal: T) => AuditActor,
  ): Promise<Verdict<T>> => {
    const howTo = what === 'establishment' ? GET_SENDER_TOKEN : GET_CITIZEN_TOKEN;
    const token = bearerToken(request.headers);
    if (!token)
      return refused(
        { reason: 'no bearer token', presentedToken: false },
        new NexoError('NEXO_ERR_UNAUTHENTICATED', `a valid ${what} token is required: ${howTo}.`),
      );
    if (isDevelopmentToken(token)) {
      if (deps.mode !== 'development')
        return refused(
          { reason: 'development token outside development mode', presentedToken: true },
          new NexoError('NEXO_ERR_UNAUTHENTICATED', `development tokens are not accepted here: ${howTo}.`),
        );
      try {
        const principal = development();
        return { ok: true, principal, actor: actorOf(principal) };
      } catch (err) {
        return refused(
          { reason: `invalid development ${what} token`, presentedToken: true },
          isNexoError(err) ? err : new NexoError('NEXO_ERR_UNAUTHENTICATED', howTo),
        );
      }
    }
    const check = await verify(token);
    if (check.ok) return { ok: true, principal: check.value, actor: actorOf(check.value) };
    const refusal = {
      reason: check.reason,
      presentedToken: true,
      ...(check.claimed ? { claimed: check.claimed } : {}),
    };
    if (check.unavailable)
      return refused(
        refusal,
        new NexoError(
          'NEXO_ERR_UNAVAILABLE',
          what === 'citizen'
            ? 'the token issuer’s keys cannot be fetched; retry later.'
            : 'the establishment registry cannot be read; retry later.',
        ),
      );
    return refused(
      refusal,
      new NexoError(
        check.revoked || check.expired ? 'NEXO_ERR_TOKEN_EXPIRED' : 'NEXO_ERR_UNAUTHENTICATED',
        check.revoked
          ? revokedMessage(check, howTo)
          : check.expired
            ? `the ${what} token has expired: ${howTo}.`
            : `the ${what} token is not valid: ${howTo}.`,
      ),
    );
  };

  /** Admits the principal the bearer proves, or notes the refusal and throws its answer. */
  const authenticate = <T>(
    request: FastifyRequest,
    what: 'establishment' | 'citizen',
    verdict: Verdict<T>,
  ): T => {
    if (verdict.ok) return admit(request, what, verdict.actor, verdict.principal);
    const { reason, claimed, presentedToken } = verdict.refusal;
    trail.refuse(request, reason, claimed, presentedToken);
    throw verdict.error;
  };

  /**
   * A signed sender token speaks for its CNES while the registration it was issued under is active
   * and the secret it was obtained with is still the current one. Development tokens (development
   * mode only) are not checked against the registry: they name any valid CNES, registered or not.
   */
  const verifySender = async (token: string): Promise<TokenCheck<string>> => {
    const check = await deps.senderTokens.verify(token);
    if (!check.ok) return check;
    try {
      return await deps.registrations.admit(check.value);
    } catch {
      // Fail closed: without the registry a token's registration cannot be vouched for.
      return { ok: false, reason: 'establishment registry unavailable', unavailable: true };
    }
  };

  const establishmentVerdict = (request: FastifyRequest) =>
    verdictOf(
      request,
      'establishment',
      verifySender,
      () => authenticateEstablishment(request.headers),
      (cnes): AuditActor => ({ kind: 'establishment', id: cnes }),
    );
  const citizenVerdict = (request: FastifyRequest) =>
    verdictOf(
      request,
      'citizen',
      deps.citizenTokens,
      () => authenticateCitizen(request.headers),
      (citizen): AuditActor => ({ kind: 'citizen', id: trail.pseudonym(citizen.kind, citizen.number) }),
    );

  return {
    establishment: async (request) =>
      authenticate(request, 'establishment', await establishmentVerdict(request)),
    citizen: async (request) => authenticate(request, 'citizen', await citizenVerdict(request)),
    annotate: (request, reason) => trail.annotate(request, reason),
    bearer: async (request, what) => {
      const verdict = await (what === 'establishment' ? establishmentVerdict : citizenVerdict)(request);
      return verdict.ok ? { actor: verdict.actor } : verdict.refusal;
    },
  };
};
