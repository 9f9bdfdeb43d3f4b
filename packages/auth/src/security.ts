import './fastify-config.ts';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { createRemoteJWKSet } from 'jose';
import { NexoError } from '@nexo/fhir';
import type { EventStore } from '@nexo/eventstore';
import {
  ConfigError,
  configuredServerOptions,
  loadConfig,
  sharedSecretProblem,
  type NexoConfig,
} from '@nexo/runtime';
import {
  auditFiles,
  createPseudonymizer,
  loadOrCreateKey,
  openSqliteAuditLog,
  type AuditLog,
} from '@nexo/audit';
import { adminRoutes } from './admin-routes.ts';
import { createAuthenticator, type Authenticator } from './authenticator.ts';
import { createBearerIdentification } from './bearer-identity.ts';
import { createRequestBudget } from './request-budget.ts';
import { bearerToken, isDevelopmentToken } from './bearer.ts';
import { createCitizenTokenVerifier, type CitizenIssuer } from './citizen-tokens.ts';
import { createDevIssuer } from './dev-issuer.ts';
import { rememberVerifiedTokens } from './verified-tokens.ts';
import { loadOrCreateSigningKey } from './keys.ts';
import { createRegistrationCache, type RegistrationCache } from './registration-cache.ts';
import { createEstablishmentRegistry, readRegistration, type EstablishmentRegistry } from './registry.ts';
import { createSenderTokens } from './sender-tokens.ts';
import { tokenRoutes } from './token-routes.ts';
import { createAuditTrail, type AuditTrail } from './trail.ts';

/** `identityFeedToken` lets the audit trail name the registry once its token is checked. */
export type SecuritySettings = Pick<
  NexoConfig,
  'dataDir' | 'authMode' | 'publicUrl' | 'security' | 'identityFeedToken'
>;

export interface Security {
  readonly auth: Authenticator;
  readonly trail: AuditTrail;
  readonly registry: EstablishmentRegistry;
  /**
   * Registrations as this process last read them (at most `REGISTRATION_MAX_AGE_MS` old; at once
   * after a change through `registry`): what token and author checks read.
   */
  readonly registrations: RegistrationCache;
  /** Fastify server options: the timeouts and trusted proxies (`configuredServerOptions`). */
  readonly serverOptions: ReturnType<typeof configuredServerOptions>;
  /**
   * Rate limits, the audit hook, the refusal of development tokens outside development mode,
   * and the token (and admin) routes. Call on the root instance, after `installFhirEdge`,
   * before any other route.
   */
  install(app: FastifyInstance): Promise<void>;
  close(): Promise<void>;
}

/** Fills what a caller left out with the documented defaults (what tests and embedded use). */
export const securitySettings = (
  config: Pick<NexoConfig, 'dataDir'> & Partial<SecuritySettings>,
): SecuritySettings => {
  const defaults = loadConfig({ NEXO_DATA_DIR: config.dataDir });
  return {
    dataDir: config.dataDir,
    authMode: config.authMode ?? defaults.authMode,
    publicUrl: config.publicUrl ?? defaults.publicUrl,
    security: config.security ?? defaults.security,
    identityFeedToken: config.identityFeedToken ?? defaults.identityFeedToken,
  };
};

/**
 * The rule `loadConfig` applies to the bearer secrets, again for settings built in code (`createHub`
 * takes them as they are): outside development the identity feed's token, and the admin token in
 * every mode, must be secrets that resist guessing (MIN_SHARED_SECRET_LENGTH). Names the variable,
 * never the value.
 */
const refuseWeakSecrets = (settings: SecuritySettings): void => {
  const { authMode, identityFeedToken, security } = settings;
  const problems = [
    authMode === 'development'
      ? undefined
      : sharedSecretProblem('NEXO_IDENTITY_FEED_TOKEN', identityFeedToken, authMode),
    security.adminToken === undefined
      ? undefined
      : sharedSecretProblem('NEXO_ADMIN_TOKEN', security.adminToken, authMode),
  ].filter((problem): problem is string => problem !== undefined);
  if (problems.length > 0) throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
};

/** Monitoring routes the per-address guard leaves alone (they touch no individual data). */
const OPERATIONS_ROUTES = new Set(['/health', '/ready', '/metrics']);

export const openSecurity = async (
  settings: SecuritySettings,
  deps: {
    readonly store: EventStore;
    readonly newId: () => string;
    readonly clock?: () => Date;
    /** Another audit engine; the embedded SQLite file under the data folder otherwise. */
    readonly audit?: AuditLog;
  },
): Promise<Security> => {
  const { security: config, authMode } = settings;
  refuseWeakSecrets(settings);
  const clock = deps.clock ?? (() => new Date());
  const files = auditFiles(settings.dataDir);
  const log = deps.audit ?? openSqliteAuditLog({ file: files.log });
  const trail = createAuditTrail(log, createPseudonymizer(loadOrCreateKey(files.pseudonymKey)), clock, {
    refusals: createRequestBudget({ max: config.refusedAuthPerMinute }),
  });
  // Submissions check their token's registration here; this process's own registry changes
  // (the admin API) apply at once, another process's (the CLI) within REGISTRATION_MAX_AGE_MS.
  const registrations = createRegistrationCache({ read: (cnes) => readRegistration(deps.store, cnes) });
  const registry = createEstablishmentRegistry({
    store: deps.store,
    clock,
    newId: deps.newId,
    onChange: registrations.forget,
  });
  const signedSenderTokens = createSenderTokens(await loadOrCreateSigningKey(config.tokenKeyFile), {
    ttlSeconds: config.tokenTtlSeconds,
  });
  // Each token's signature is checked once, then remembered (verified-tokens.ts).
  const senderTokens = { ...signedSenderTokens, verify: rememberVerifiedTokens(signedSenderTokens.verify) };
  const devIssuer =
    authMode === 'development'
      ? createDevIssuer(await loadOrCreateSigningKey(config.devIssuerKeyFile), {
          publicUrl: settings.publicUrl,
          audience: config.citizenAudience,
          ttlSeconds: config.tokenTtlSeconds,
        })
      : undefined;
  const configured: CitizenIssuer[] =
    config.citizenIssuer && config.citizenJwksUrl
      ? [
          {
            issuer: config.citizenIssuer,
            audience: config.citizenAudience,
            keys: createRemoteJWKSet(new URL(config.citizenJwksUrl), { timeoutDuration: 5_000 }),
          },
        ]
      : [];
  const auth = createAuthenticator({
    mode: authMode,
    senderTokens,
    registrations,
    citizenTokens: rememberVerifiedTokens(
      createCitizenTokenVerifier([...configured, ...(devIssuer ? [devIssuer] : [])]),
    ),
    trail,
    // Real time, whatever clock dates the records: a budget is about the pace of requests.
    limit: createRequestBudget({ max: config.rateLimitPerMinute }),
  });

  return {
    auth,
    trail,
    registry,
    registrations,
    serverOptions: configuredServerOptions(config),
    install: async (app) => {
      trail.install(
        app,
        createBearerIdentification({
          auth,
          identityFeedToken: settings.identityFeedToken,
          ...(config.adminToken ? { adminToken: config.adminToken } : {}),
        }),
      );
      await app.register(rateLimit, {
        global: true,
        max: config.addressRateLimitPerMinute,
        timeWindow: 60_000,
        keyGenerator: (request) => request.ip,
        // A probe or a scraper often shares its address with traffic: a busy hub must not look dead.
        allowList: (request) => OPERATIONS_ROUTES.has(request.routeOptions.url ?? ''),
        // The headers would describe only this guard, not the sender's or citizen's own budget.
        addHeadersOnExceeding: {
          'x-ratelimit-limit': false,
          'x-ratelimit-remaining': false,
          'x-ratelimit-reset': false,
        },
        errorResponseBuilder: (_request, context) =>
          new NexoError(
            'NEXO_ERR_RATE_LIMITED',
            `too many requests from this client address: at most ${context.max} per minute; retry in ${context.after}.`,
          ),
      });
      if (authMode !== 'development') {
        // Routes that still parse development tokens themselves never see one in production.
        app.addHook('onRequest', async (request) => {
          const token = bearerToken(request.headers);
          if (token && isDevelopmentToken(token)) {
            trail.refuse(request, 'development token outside development mode', undefined, true);
            throw new NexoError(
              'NEXO_ERR_UNAUTHENTICATED',
              'development tokens are not accepted outside development mode.',
            );
          }
        });
      }
      const rateLimitPerMinute = config.authRateLimitPerMinute;
      await app.register(
        tokenRoutes({
          registry,
          senderTokens,
          trail,
          rateLimitPerMinute,
          ...(devIssuer ? { devIssuer } : {}),
        }),
      );
      if (config.adminToken)
        await app.register(
          adminRoutes({ registry, trail, adminToken: config.adminToken, rateLimitPerMinute }),
        );
    },
    close: () => (deps.audit ? Promise.resolve() : log.close()),
  };
};
