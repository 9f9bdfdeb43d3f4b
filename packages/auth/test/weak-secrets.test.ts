/**
 * Settings built in code (createHub takes them as they are) meet the rule loadConfig applies to
 * the bearer secrets: outside development a weak identity feed token stops the start, as it would
 * from the environment, before anything is opened.
 */
import { describe, expect, it } from 'vitest';
import type { EventStore } from '@nexo/eventstore';
import { loadConfig } from '@nexo/runtime';
import { openSecurity, type SecuritySettings } from '../src/index.ts';

const settings = (overrides: Partial<SecuritySettings>): SecuritySettings => ({
  ...loadConfig({ NEXO_DATA_DIR: '/nonexistent/nexo-weak-secrets' }),
  ...overrides,
});

/** Never reached: the refusal comes before the store or the audit log is touched. */
const store = {} as EventStore;

describe('openSecurity refuses weak bearer secrets', () => {
  it('refuses a short identity feed token outside development, naming the variable and not the value', async () => {
    const token = 'test-registry-token';
    const refused = openSecurity(settings({ authMode: 'production', identityFeedToken: token }), {
      store,
      newId: () => 'id',
    });
    await expect(refused).rejects.toMatchObject({
      code: 'NEXO_ERR_CONFIG',
      message:
        'invalid configuration: NEXO_IDENTITY_FEED_TOKEN must be at least 32 characters (a shared secret must resist guessing: use 32 random bytes, hex or base64)',
    });
  });

  it('refuses a short admin token in any mode', async () => {
    const base = settings({});
    await expect(
      openSecurity(
        { ...base, security: { ...base.security, adminToken: 'short-admin' } },
        { store, newId: () => 'id' },
      ),
    ).rejects.toMatchObject({
      code: 'NEXO_ERR_CONFIG',
      message:
        'invalid configuration: NEXO_ADMIN_TOKEN must be at least 32 characters (a shared secret must resist guessing: use 32 random bytes, hex or base64)',
    });
  });
});
