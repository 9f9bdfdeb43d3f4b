/**
 * The `WWW-Authenticate` challenges of the hub's 401 answers (RFC 9110 §11.6.1): the audit trail
 * gives every 401 that has none a Bearer challenge (RFC 6750 §3), `invalid_token` when a token was
 * presented; the token endpoint answers unmatched client credentials with a Basic one, however they
 * came (RFC 6749 §2.3.1).
 */
export const CHALLENGES = {
  bearer: 'Bearer realm="nexo"',
  invalidToken: 'Bearer realm="nexo", error="invalid_token"',
  basic: 'Basic realm="nexo"',
} as const;

/** What a 401 of a route that takes a bearer token carries: `invalid_token` when one was sent. */
export const BEARER_CHALLENGES = [CHALLENGES.bearer, CHALLENGES.invalidToken] as const;
