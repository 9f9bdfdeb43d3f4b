import { join } from 'node:path';
import { envReader, type Env } from './env-reader.ts';
import { readTrustedProxies } from './trusted-proxies.ts';

/**
 * Authentication, audit and limits (docs/security.md). Read with the rest of the configuration;
 * the admin token is never logged.
 */
export interface SecurityConfig {
  /** Lifetime of the sender tokens `POST /auth/token` issues, in seconds. */
  readonly tokenTtlSeconds: number;
  /** The private key (JWK) that signs sender tokens; every ingest instance reads the same file. */
  readonly tokenKeyFile: string;
  /** The development issuer's private key (development mode only). */
  readonly devIssuerKeyFile: string;
  /** Bearer credential of the admin endpoints; without it they do not exist. */
  readonly adminToken?: string;
  /** The OIDC issuer of citizen tokens: `iss`, its JWKS URL and the audience Nexo expects. */
  readonly citizenIssuer?: string;
  readonly citizenJwksUrl?: string;
  readonly citizenAudience: string;
  /** Requests per minute per authenticated sender or citizen. */
  readonly rateLimitPerMinute: number;
  /** Requests per minute per client address, every route: a loose guard (many senders share a NAT). */
  readonly addressRateLimitPerMinute: number;
  /** Requests per minute per client address to the token and admin endpoints. */
  readonly authRateLimitPerMinute: number;
  /** Refused authentications (401, each audited) per minute per client address; past them, 429. */
  readonly refusedAuthPerMinute: number;
  /** Time to receive a whole request, and the longest a socket may stay idle, in milliseconds. */
  readonly requestTimeoutMs: number;
  readonly connectionTimeoutMs: number;
  /**
   * The reverse proxies whose `X-Forwarded-For` names the client (trusted-proxies.ts): the address
   * rate limits count by and audit entries record. Absent: the socket's peer, the header ignored.
   */
  readonly trustedProxies?: readonly string[];
}

/**
 * The fewest characters of a configured bearer secret (NEXO_IDENTITY_FEED_TOKEN, NEXO_ADMIN_TOKEN).
 * Each is a shared secret that whoever presents it is trusted with everything it opens (every
 * person's identity, the establishment registry), compared whole with no lockout of its own: only
 * its length stands between it and guessing. 32 random characters are at least 128 bits (hex),
 * about 190 (base64): out of reach of any search over the network, at any rate limit.
 */
export const MIN_SHARED_SECRET_LENGTH = 32;

/**
 * What is wrong with a configured bearer secret, naming the variable and never its value:
 * too short; not one word of visible ASCII (it travels as `Authorization: Bearer <secret>`, and
 * the edge reads a token up to the first space); outside development, a `dev-` prefix, which the
 * edge refuses as a development token before the secret is compared.
 */
export const sharedSecretProblem = (
  name: string,
  value: string,
  authMode: 'development' | 'production',
): string | undefined => {
  if (value.length < MIN_SHARED_SECRET_LENGTH)
    return `${name} must be at least ${MIN_SHARED_SECRET_LENGTH} characters (a shared secret must resist guessing: use 32 random bytes, hex or base64)`;
  if (!/^[\x21-\x7e]+$/.test(value))
    return `${name} must be one word of visible ASCII characters, without spaces (it is sent as Authorization: Bearer <token>)`;
  if (authMode === 'production' && value.startsWith('dev-'))
    return `${name} must not start with dev-: outside development mode such bearer tokens are refused as development tokens`;
  return undefined;
};

export const loadSecurityConfig = (
  env: Env,
  base: { readonly dataDir: string; readonly authMode: 'development' | 'production' },
  problems: string[],
): SecurityConfig => {
  const { int, httpUrl } = envReader(env, problems);
  const adminToken = env.NEXO_ADMIN_TOKEN || undefined;
  // In every mode: the admin API registers establishments and issues their secrets.
  const adminProblem =
    adminToken === undefined ? undefined : sharedSecretProblem('NEXO_ADMIN_TOKEN', adminToken, base.authMode);
  if (adminProblem) problems.push(adminProblem);
  const citizenIssuer = env.NEXO_CITIZEN_ISSUER || undefined;
  const citizenJwksUrl = httpUrl('NEXO_CITIZEN_JWKS_URL');
  const trustedProxies = readTrustedProxies(env.NEXO_TRUSTED_PROXIES, problems);
  if (base.authMode === 'production' && (!citizenIssuer || !citizenJwksUrl))
    problems.push('NEXO_AUTH_MODE=production needs NEXO_CITIZEN_ISSUER and NEXO_CITIZEN_JWKS_URL');
  return {
    tokenTtlSeconds: int('NEXO_TOKEN_TTL_SECONDS', 900, 60, 3600),
    tokenKeyFile: env.NEXO_TOKEN_KEY_FILE || join(base.dataDir, 'keys', 'token-signing.jwk.json'),
    devIssuerKeyFile: join(base.dataDir, 'keys', 'dev-citizen-issuer.jwk.json'),
    ...(adminToken ? { adminToken } : {}),
    ...(citizenIssuer ? { citizenIssuer } : {}),
    ...(citizenJwksUrl ? { citizenJwksUrl } : {}),
    citizenAudience: env.NEXO_CITIZEN_AUDIENCE || 'nexo-citizen-api',
    rateLimitPerMinute: int('NEXO_RATE_LIMIT', 1200, 1, 1_000_000),
    addressRateLimitPerMinute: int('NEXO_ADDRESS_RATE_LIMIT', 12_000, 1, 10_000_000),
    authRateLimitPerMinute: int('NEXO_AUTH_RATE_LIMIT', 20, 1, 1_000_000),
    refusedAuthPerMinute: int('NEXO_REFUSED_AUTH_LIMIT', 120, 1, 1_000_000),
    requestTimeoutMs: int('NEXO_REQUEST_TIMEOUT_MS', 30_000, 1_000, 600_000),
    connectionTimeoutMs: int('NEXO_CONNECTION_TIMEOUT_MS', 60_000, 1_000, 600_000),
    ...(trustedProxies ? { trustedProxies } : {}),
  };
};

/** The security settings as they may be logged. */
export const describeSecurityConfig = (config: SecurityConfig): Record<string, unknown> => ({
  ...config,
  ...(config.adminToken ? { adminToken: '***' } : {}),
});
