import type { FastifyRequest } from 'fastify';
import type { AuditActor } from '@nexo/audit';
import type { CheckingAuthenticator } from './authenticator.ts';
import { bearerToken, isSameToken } from './bearer.ts';
import type { BearerIdentity, IdentifyBearer } from './trail.ts';

/** The credential a route takes. */
type Credential = 'establishment' | 'citizen' | 'registry' | 'admin';

const ROUTE_CREDENTIALS: ReadonlyArray<readonly [RegExp, Credential]> = [
  [/^\/identity\//, 'registry'],
  [/^\/citizen\//, 'citizen'],
  [/^\/admin\//, 'admin'],
  [/^\/(?:api\/)?fhir\/r4\/|^\/establishment\//, 'establishment'],
];

export const REGISTRY_ACTOR: AuditActor = { kind: 'registry', id: 'identity-feed' };
export const ADMIN_ACTOR: AuditActor = { kind: 'admin', id: 'admin' };

/**
 * What the bearer of a request proves, checked against the credential its route takes: the
 * authenticator's checks for sender and citizen tokens (without spending their budgets), the
 * identity feed's and the admin's configured tokens compared in constant time, each read from the
 * headers as its routes read it (`bearerToken`): a trail that read them otherwise would name an
 * actor the route did not see, or none where the route saw one.
 */
export const createBearerIdentification = (deps: {
  readonly auth: CheckingAuthenticator;
  readonly identityFeedToken: string;
  readonly adminToken?: string;
}): IdentifyBearer => {
  const configured = (
    given: string | undefined,
    expected: string | undefined,
    actor: AuditActor,
    refusal: string,
  ): BearerIdentity => {
    if (given === undefined || given === '') return { reason: 'no bearer token', presentedToken: false };
    return expected && isSameToken(given, expected) ? { actor } : { reason: refusal, presentedToken: true };
  };
  return async (request: FastifyRequest, route: string) => {
    switch (ROUTE_CREDENTIALS.find(([pattern]) => pattern.test(route))?.[1]) {
      case 'establishment':
        return deps.auth.bearer(request, 'establishment');
      case 'citizen':
        return deps.auth.bearer(request, 'citizen');
      case 'registry':
        return configured(
          bearerToken(request.headers),
          deps.identityFeedToken,
          REGISTRY_ACTOR,
          'not the identity feed token',
        );
      case 'admin':
        return configured(
          bearerToken(request.headers),
          deps.adminToken,
          ADMIN_ACTOR,
          'invalid admin credential',
        );
      default:
        return undefined;
    }
  };
};
