/**
 * The bearer secrets the configuration holds (the identity feed's, the admin's) must resist
 * guessing outside development: a process with a weak one refuses to start, with one message that
 * names the variable and never prints the value.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig, type Env } from '../src/index.ts';

const PRODUCTION: Env = {
  NEXO_AUTH_MODE: 'production',
  NEXO_CITIZEN_ISSUER: 'https://login.example.gov.br',
  NEXO_CITIZEN_JWKS_URL: 'https://login.example.gov.br/jwks.json',
};
const STRONG = '5f0c1e9a7b3d48c2a6e1f0b9d8c7a6e5';

/** The start-up refusal: its code and its whole message. */
const refusal = (env: Env): { code?: unknown; message: string } => {
  try {
    loadConfig(env);
  } catch (error) {
    return { code: (error as { code?: unknown }).code, message: (error as Error).message };
  }
  throw new Error('the configuration was accepted');
};

const SHORT = (name: string) =>
  `invalid configuration: ${name} must be at least 32 characters (a shared secret must resist guessing: use 32 random bytes, hex or base64)`;

describe('NEXO_IDENTITY_FEED_TOKEN outside development', () => {
  it('refuses a token shorter than 32 characters, naming the variable and not the value', () => {
    const token = 'registry-feed-secret-31-chars-x';
    expect(token).toHaveLength(31);
    const answer = refusal({ ...PRODUCTION, NEXO_IDENTITY_FEED_TOKEN: token });
    expect(answer).toEqual({ code: 'NEXO_ERR_CONFIG', message: SHORT('NEXO_IDENTITY_FEED_TOKEN') });
    expect(answer.message).not.toContain(token);
  });

  it('accepts 32 characters', () => {
    expect(loadConfig({ ...PRODUCTION, NEXO_IDENTITY_FEED_TOKEN: STRONG }).identityFeedToken).toBe(STRONG);
  });

  it('refuses a token the edge would refuse as a development token, or one that cannot be sent as a bearer', () => {
    expect(refusal({ ...PRODUCTION, NEXO_IDENTITY_FEED_TOKEN: `dev-${STRONG}` }).message).toBe(
      'invalid configuration: NEXO_IDENTITY_FEED_TOKEN must not start with dev-: outside development mode such bearer tokens are refused as development tokens',
    );
    expect(refusal({ ...PRODUCTION, NEXO_IDENTITY_FEED_TOKEN: `${STRONG} ${STRONG}` }).message).toBe(
      'invalid configuration: NEXO_IDENTITY_FEED_TOKEN must be one word of visible ASCII characters, without spaces (it is sent as Authorization: Bearer <token>)',
    );
  });

  it('still refuses a missing or empty one', () => {
    for (const env of [PRODUCTION, { ...PRODUCTION, NEXO_IDENTITY_FEED_TOKEN: '' }])
      expect(refusal(env).message).toBe(
        'invalid configuration: NEXO_AUTH_MODE=production needs NEXO_IDENTITY_FEED_TOKEN',
      );
  });
});

describe('NEXO_IDENTITY_FEED_TOKEN in development', () => {
  it('keeps the documented default, and takes an empty value as unset (an empty secret matches no token at all)', () => {
    expect(loadConfig({}).identityFeedToken).toBe('dev-identity-feed');
    expect(loadConfig({ NEXO_IDENTITY_FEED_TOKEN: '' }).identityFeedToken).toBe('dev-identity-feed');
    expect(loadConfig({ NEXO_IDENTITY_FEED_TOKEN: 'short' }).identityFeedToken).toBe('short');
  });
});

describe('NEXO_ADMIN_TOKEN', () => {
  it('must be 32 characters in every mode, and not dev- outside development', () => {
    expect(refusal({ NEXO_ADMIN_TOKEN: 'x'.repeat(31) }).message).toBe(SHORT('NEXO_ADMIN_TOKEN'));
    expect(loadConfig({ NEXO_ADMIN_TOKEN: `dev-${STRONG}` }).security.adminToken).toBe(`dev-${STRONG}`);
    expect(
      refusal({ ...PRODUCTION, NEXO_IDENTITY_FEED_TOKEN: STRONG, NEXO_ADMIN_TOKEN: `dev-${STRONG}` }).message,
    ).toBe(
      'invalid configuration: NEXO_ADMIN_TOKEN must not start with dev-: outside development mode such bearer tokens are refused as development tokens',
    );
  });

  it('is named with the identity feed token in one message when both are weak', () => {
    expect(
      refusal({ ...PRODUCTION, NEXO_IDENTITY_FEED_TOKEN: 'feed', NEXO_ADMIN_TOKEN: 'admin' }).message,
    ).toBe(
      `${SHORT('NEXO_IDENTITY_FEED_TOKEN')}; ${SHORT('NEXO_ADMIN_TOKEN').replace('invalid configuration: ', '')}`,
    );
  });
});
