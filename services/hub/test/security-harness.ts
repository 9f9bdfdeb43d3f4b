import { createServer, type Server } from 'node:http';
import type { DestinationStream } from 'pino';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { expect } from 'vitest';
import { NEXO_ERROR_SYSTEM } from '@nexo/fhir';
import { createLogger, loadConfig } from '@nexo/runtime';
import { createHub, type Hub } from '../src/index.ts';
import { REGISTRY_TOKEN, perSuite } from './hub-harness.ts';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef0123456789';
export const CITIZEN_AUDIENCE = 'nexo-citizen-api';

export const DISABLED_MESSAGE =
  '(EHR-ERR882) the establishment token has been revoked: the establishment’s registration is disabled; the hub operator must register it again before it gets new tokens.';
export const REREGISTERED_MESSAGE =
  '(EHR-ERR882) the establishment token has been revoked: it was issued before the establishment was registered again; get one from POST /auth/token (client credentials) and send it as Authorization: Bearer <token>.';
export const ROTATED_MESSAGE =
  '(EHR-ERR882) the establishment token has been revoked: the establishment’s secret was rotated after it was issued; get one from POST /auth/token (client credentials) and send it as Authorization: Bearer <token>, with the new secret.';

/** An OperationOutcome with one `security` issue: the whole answer to a refused request. */
export const securityOutcome = (issue: {
  code: string;
  display: string;
  diagnostics: unknown;
  expression?: string[];
}): unknown => ({
  resourceType: 'OperationOutcome',
  issue: [
    {
      severity: 'error',
      code: 'security',
      details: { coding: [{ system: NEXO_ERROR_SYSTEM, code: issue.code, display: issue.display }] },
      diagnostics: issue.diagnostics,
      ...(issue.expression ? { expression: issue.expression } : {}),
    },
  ],
});

/** The whole refusal: 401, `invalid_token`, one security issue naming the reason class. */
export const expectRevoked = (
  response: { status: number; headers: Record<string, unknown>; json: () => unknown },
  diagnostics: string,
) => {
  expect(response.status).toBe(401);
  expect(response.headers['www-authenticate']).toBe('Bearer realm="nexo", error="invalid_token"');
  expect(response.json()).toEqual(
    securityOutcome({
      code: 'NEXO_ERR_TOKEN_EXPIRED',
      display: 'the token expired or was revoked: get a new one',
      diagnostics,
    }),
  );
};

/** An OIDC provider stand-in: an ES256 key, its JWKS on a real port, and tokens it signs. */
export interface TestIssuer {
  readonly issuer: string;
  readonly jwksUrl: string;
  token(claims: { sub: string; aud?: string; iss?: string; expiresIn?: string | number }): Promise<string>;
  stop(): Promise<void>;
}

export const startTestIssuer = async (): Promise<TestIssuer> => {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'ES256', use: 'sig' };
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const issuer = `${base}/oidc`;
  return {
    issuer,
    jwksUrl: `${base}/oidc/jwks.json`,
    token: (claims) => signCitizenToken(privateKey, { issuer, ...claims }),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

const signCitizenToken = (
  key: CryptoKey,
  claims: { issuer: string; sub: string; aud?: string; iss?: string; expiresIn?: string | number },
) =>
  new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', kid: 'test-key' })
    .setIssuer(claims.iss ?? claims.issuer)
    .setAudience(claims.aud ?? CITIZEN_AUDIENCE)
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(claims.expiresIn ?? '5m')
    .sign(key);

export interface SecureHub {
  readonly hub: Hub;
  readonly logLines: string[];
  /** `app.inject` with a bearer token (or none) in the header the caller names. */
  request(options: {
    method?: 'GET' | 'POST';
    url: string;
    token?: string;
    header?: 'authorization' | 'x-authorization-server';
    body?: unknown;
    contentType?: string;
    headers?: Record<string, string>;
  }): Promise<{ status: number; headers: Record<string, unknown>; json: () => unknown; body: string }>;
  /** Registers an establishment through the admin endpoint and returns its secret. */
  register(cnes: string, name?: string): Promise<string>;
  /** A sender token from `POST /auth/token`. */
  senderToken(cnes: string, secret: string): Promise<string>;
  stop(): Promise<void>;
}

/** A hub in the given auth mode, with the citizen issuer and an admin token configured. */
export const startSecureHub = async (
  dataDir: string,
  options: { mode: 'development' | 'production'; issuer?: TestIssuer; env?: Record<string, string> },
): Promise<SecureHub> => {
  const logLines: string[] = [];
  const destination = { write: (line: string) => void logLines.push(line) } as unknown as DestinationStream;
  const config = loadConfig({
    NEXO_DATA_DIR: dataDir,
    NEXO_AUTH_MODE: options.mode,
    NEXO_IDENTITY_FEED_TOKEN: REGISTRY_TOKEN,
    NEXO_ADMIN_TOKEN: ADMIN_TOKEN,
    ...(options.issuer
      ? { NEXO_CITIZEN_ISSUER: options.issuer.issuer, NEXO_CITIZEN_JWKS_URL: options.issuer.jwksUrl }
      : {}),
    ...options.env,
  });
  const hub = await createHub(config, { logger: createLogger({ level: 'info', name: 'test', destination }) });
  const request: SecureHub['request'] = async (o) => {
    const response = await hub.app.inject({
      method: o.method ?? (o.body === undefined ? 'GET' : 'POST'),
      url: o.url,
      headers: {
        ...(o.token ? { [o.header ?? 'authorization']: `Bearer ${o.token}` } : {}),
        ...(o.body === undefined ? {} : { 'content-type': o.contentType ?? 'application/fhir+json' }),
        ...o.headers,
      },
      ...(o.body === undefined
        ? {}
        : { payload: typeof o.body === 'string' ? o.body : JSON.stringify(o.body) }),
    });
    return {
      status: response.statusCode,
      headers: response.headers,
      json: () => response.json(),
      body: response.body,
    };
  };
  return {
    hub,
    logLines,
    request,
    register: async (cnes, name = 'UBS Teste') => {
      const response = await request({
        url: '/admin/v1/establishments',
        token: ADMIN_TOKEN,
        body: { cnes, name },
      });
      if (response.status !== 201) throw new Error(`register ${cnes}: ${response.status} ${response.body}`);
      return (response.json() as { clientSecret: string }).clientSecret;
    },
    senderToken: async (cnes, secret) => {
      const response = await request({
        method: 'POST',
        url: '/auth/token',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: cnes,
          client_secret: secret,
        }).toString(),
        contentType: 'application/x-www-form-urlencoded',
      });
      if (response.status !== 200) throw new Error(`token ${cnes}: ${response.status} ${response.body}`);
      return (response.json() as { access_token: string }).access_token;
    },
    stop: () => hub.close(),
  };
};

/** A secure hub for the tests of one `describe` (`perSuite`). */
export const secureHubPerSuite = (options: Parameters<typeof startSecureHub>[1]): (() => SecureHub) =>
  perSuite((dataDir) => startSecureHub(dataDir, options));
