import { resolve } from 'node:path';
import {
  describeSecurityConfig,
  loadSecurityConfig,
  sharedSecretProblem,
  type SecurityConfig,
} from './security-config.ts';
import { loadEngineSettings, type EngineSettings } from './engine-settings.ts';
import { envReader, type Env } from './env-reader.ts';
import { DISK_SPACE_DEFAULTS } from './disk-space.ts';

/**
 * The hub's configuration: environment variables with documented defaults (see
 * docs/configuration.md), validated once at start-up. With nothing set, everything is embedded.
 */
export interface NexoConfig extends EngineSettings {
  readonly host: string;
  readonly port: number;
  /** Where the hub is reached from outside: the base of Location headers and of every link it answers with. */
  readonly publicUrl: string;
  readonly dataDir: string;
  /** Below this many MiB free in `dataDir`, `/ready` fails its `disk space` check (0: no check). */
  readonly minFreeDiskMb: number;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Largest accepted request body, in bytes. */
  readonly bodyLimit: number;
  /**
   * `development` adds the development issuer, its demo login and the development tokens;
   * `production` accepts only signed tokens (docs/security.md).
   */
  readonly authMode: 'development' | 'production';
  /** Authentication, audit and limits (security-config.ts). */
  readonly security: SecurityConfig;
  /** Bearer secret of the national registry's identity feed; required outside development. */
  readonly identityFeedToken: string;
}

/** The identity feed's token in development mode when none is set (docs/identity-feed.md). */
export const DEV_IDENTITY_FEED_TOKEN = 'dev-identity-feed';

/** NEXO_PUBLIC_URL when it is not set: the hub as this machine reaches it. */
export const defaultPublicUrl = (port: number): string => `http://localhost:${port}`;

export class ConfigError extends Error {
  readonly code = 'NEXO_ERR_CONFIG';
}

/**
 * The environment without its empty variables: `HOST=` in a compose file or a shell means "not
 * set", and must get the documented default (127.0.0.1), not be read as a value (every interface).
 */
const setVariables = (env: Env): Env =>
  Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));

export const loadConfig = (givenEnv: Env = process.env): NexoConfig => {
  const env = setVariables(givenEnv);
  const problems: string[] = [];
  const { oneOf, int, httpUrl } = envReader(env, problems);
  const port = int('PORT', 8080, 0, 65535);
  const host = env.HOST ?? '127.0.0.1';
  const dataDir = resolve(env.NEXO_DATA_DIR ?? './data');
  const authMode = oneOf('NEXO_AUTH_MODE', ['development', 'production'] as const, 'development');
  // Empty counts as unset: an empty secret would match a request with no token at all.
  const identityFeedToken = env.NEXO_IDENTITY_FEED_TOKEN || undefined;
  if (authMode === 'production') {
    // Development keeps its well-known default (docs/identity-feed.md); anywhere else the feed's
    // secret is the registry's only credential (MIN_SHARED_SECRET_LENGTH says why 32).
    const problem =
      identityFeedToken === undefined
        ? 'NEXO_AUTH_MODE=production needs NEXO_IDENTITY_FEED_TOKEN'
        : sharedSecretProblem('NEXO_IDENTITY_FEED_TOKEN', identityFeedToken, authMode);
    if (problem) problems.push(problem);
  }
  const config: NexoConfig = {
    host,
    port,
    // The base of every link the hub answers with.
    publicUrl: (httpUrl('NEXO_PUBLIC_URL') ?? defaultPublicUrl(port)).replace(/\/+$/, ''),
    dataDir,
    minFreeDiskMb: int('NEXO_MIN_FREE_DISK_MB', DISK_SPACE_DEFAULTS.minFreeDiskMb, 0, 1_048_576),
    logLevel: oneOf(
      'LOG_LEVEL',
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const,
      'info',
    ),
    bodyLimit: int('NEXO_BODY_LIMIT', 1_048_576, 1024, 64 * 1_048_576),
    authMode,
    security: loadSecurityConfig(env, { dataDir, authMode }, problems),
    identityFeedToken: identityFeedToken ?? DEV_IDENTITY_FEED_TOKEN,
    // Engines per port (sqlite | mongodb | kafka), their connection settings and the relay's.
    ...loadEngineSettings(env, problems),
  };
  if (problems.length > 0) throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  return config;
};

/** The configuration as it may be logged: connection strings lose their credentials. */
export const describeConfig = (config: NexoConfig): Record<string, unknown> => ({
  ...config,
  identityFeedToken: '***',
  security: describeSecurityConfig(config.security),
  // Up to the last `@`: a password with an unescaped `@` or `/` in it is masked whole (hosts with it
  // when a query option holds an `@`, which hides more than needed but never a secret).
  ...(config.mongodbUri ? { mongodbUri: config.mongodbUri.replace(/\/\/.*@/, '//***@') } : {}),
});
