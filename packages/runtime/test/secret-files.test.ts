import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { readSecretJson } from '../src/index.ts';

const SOURCE = fileURLToPath(new URL('../src/secret-files.ts', import.meta.url));
const REPOSITORY = fileURLToPath(new URL('../../..', import.meta.url));
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('readSecretJson', () => {
  it('reports a damaged key file by its path, never quoting the key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nexo-secret-'));
    dirs.push(dir);
    const file = join(dir, 'key.jwk.json');
    const secret = 'Zq3sSECRETPRIVATEPART8xw';
    // A JWK cut short, as a crash in the middle of a copy leaves it.
    writeFileSync(file, `{"kty":"EC","crv":"P-256","d":"${secret}","x":"abc"`);
    expect(() => readSecretJson(file)).toThrow(`${file} is not valid JSON`);
    // Uncaught, as at a start-up: Node prints a JSON parser's error with the line it failed on,
    // which here would be the key. Ours carries the path only.
    const started = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `import(${JSON.stringify(SOURCE)}).then((m) => m.readSecretJson(${JSON.stringify(file)}))`,
      ],
      { encoding: 'utf8', cwd: REPOSITORY },
    );
    expect(started.status).not.toBe(0);
    expect(started.stderr).toContain('is not valid JSON');
    expect(started.stderr).not.toContain(secret);
    writeFileSync(file, '{"kty":"EC"}');
    expect(readSecretJson(file)).toEqual({ kty: 'EC' });
  });
});
