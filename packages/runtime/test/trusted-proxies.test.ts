import { describe, expect, it } from 'vitest';
import { ConfigError, configuredServerOptions, loadConfig } from '../src/index.ts';

describe('NEXO_TRUSTED_PROXIES', () => {
  it('is off by default: no proxy is trusted, so fastify takes the socket’s peer as the client', () => {
    expect(loadConfig({}).security.trustedProxies).toBeUndefined();
    expect(configuredServerOptions(loadConfig({}).security)).not.toHaveProperty('trustProxy');
  });

  it('takes addresses, CIDR ranges and the named private ranges, and hands them to fastify', () => {
    const security = loadConfig({
      NEXO_TRUSTED_PROXIES: ' 10.0.0.0/8,192.168.1.20 , fd00::/8,::1,loopback,uniquelocal',
    }).security;
    expect(security.trustedProxies).toEqual([
      '10.0.0.0/8',
      '192.168.1.20',
      'fd00::/8',
      '::1',
      'loopback',
      'uniquelocal',
    ]);
    expect(configuredServerOptions(security).trustProxy).toEqual(security.trustedProxies);
  });

  it.each([
    'true',
    '*',
    '10.0.0.0/33',
    '10.0.0/8',
    'fd00::/129',
    'proxy.internal',
    '10.0.0.1,,10.0.0.2',
    '2',
  ])('refuses %j at start-up, naming the variable and the entry', (value) => {
    expect(() => loadConfig({ NEXO_TRUSTED_PROXIES: value })).toThrow(ConfigError);
    expect(() => loadConfig({ NEXO_TRUSTED_PROXIES: value })).toThrow(/NEXO_TRUSTED_PROXIES must list/);
  });
});
