import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/index.ts';

describe('configuration values', () => {
  it('takes an empty variable as unset, so it gets its documented default', () => {
    const config = loadConfig({ HOST: '', PORT: ' ', NEXO_DATA_DIR: '', NEXO_MIN_FREE_DISK_MB: '' });
    const defaults = loadConfig({});
    // HOST= must not mean every interface, nor NEXO_MIN_FREE_DISK_MB= "no disk check".
    expect(config.host).toBe('127.0.0.1');
    expect(config.port).toBe(8080);
    expect(config.dataDir).toBe(defaults.dataDir);
    expect(config.minFreeDiskMb).toBe(defaults.minFreeDiskMb);
  });

  it('takes NEXO_PUBLIC_URL only as an http(s) URL, without its trailing slashes', () => {
    expect(loadConfig({ NEXO_PUBLIC_URL: 'https://nexo.example.gov.br//' }).publicUrl).toBe(
      'https://nexo.example.gov.br',
    );
    for (const wrong of ['not a url', 'ftp://nexo.example.gov.br', 'nexo.example.gov.br']) {
      expect(() => loadConfig({ NEXO_PUBLIC_URL: wrong }), wrong).toThrow(ConfigError);
      expect(() => loadConfig({ NEXO_PUBLIC_URL: wrong }), wrong).toThrow(
        /NEXO_PUBLIC_URL must be an http\(s\) URL/,
      );
    }
  });
});
