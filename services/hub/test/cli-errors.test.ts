/**
 * What an operator sees when a command or a start is given something wrong: one line saying what
 * (and the usage), exit status 2, no stack trace, nothing opened or created.
 */
import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDataDir } from './hub-harness.ts';

const source = (path: string) => fileURLToPath(new URL(`../../../${path}`, import.meta.url));

const run = (path: string, args: string[], env: Record<string, string>) =>
  new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', source(path), ...args],
      { encoding: 'utf8', env: { ...process.env, ...env } },
      (error, stdout, stderr) => resolve({ status: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });

describe('usage and configuration errors', () => {
  const data = tempDataDir();
  afterAll(() => data.remove());

  it.each([
    [
      'establishment:add with an unknown option',
      'packages/auth/src/establishment-cli.ts',
      ['add', '--cnes', '1234567', '--name', 'UBS', '--bogus'],
      {},
      /^Unknown option '--bogus'/,
    ],
    [
      'establishment:add without a value',
      'packages/auth/src/establishment-cli.ts',
      ['add', '--cnes'],
      {},
      /^Option '--cnes <value>' argument missing/,
    ],
    [
      'establishment:disable with two establishments',
      'packages/auth/src/establishment-cli.ts',
      ['disable', '--cnes', '1234567', '--cnes', '7654321', '--reason', 'closed'],
      {},
      /^Option '--cnes' given more than once\nusage: establishment-cli/,
    ],
    [
      'establishment:rotate on a folder with no event log',
      'packages/auth/src/establishment-cli.ts',
      ['rotate', '--cnes', '1234567'],
      {},
      /^no event log at .*events\.sqlite: set NEXO_DATA_DIR/,
    ],
    [
      'audit:verify with an unknown option',
      'packages/audit/src/verify-cli.ts',
      ['--bogus'],
      {},
      /^Unknown option '--bogus'\nusage: pnpm audit:verify/,
    ],
    [
      'the hub with a wrong variable',
      'services/hub/src/main.ts',
      [],
      { NEXO_TRUSTED_PROXIES: 'true', PORT: '0' },
      /^NEXO_ERR_CONFIG: invalid configuration: NEXO_TRUSTED_PROXIES must list/,
    ],
    [
      'pnpm replay with a wrong variable',
      'services/projector/src/replay-cli.ts',
      [],
      { NEXO_BODY_LIMIT: 'x' },
      /^NEXO_ERR_CONFIG: invalid configuration: NEXO_BODY_LIMIT must be/,
    ],
    [
      'pnpm dead-letters on a folder with no event log',
      'services/projector/src/dead-letters-cli.ts',
      [],
      {},
      /^no event log at .*events\.sqlite: set NEXO_DATA_DIR/,
    ],
    [
      'pnpm replay on a folder with no event log',
      'services/projector/src/replay-cli.ts',
      [],
      {},
      /^no event log at .*events\.sqlite: set NEXO_DATA_DIR/,
    ],
  ] as const)('%s: one line and the usage, exit 2, no stack', async (_name, path, args, env, said) => {
    const ran = await run(path, [...args], { NEXO_DATA_DIR: data.dir, ...env });
    expect(ran.status).toBe(2);
    expect(ran.stderr).toMatch(said);
    expect(ran.stderr).not.toMatch(/\n\s+at /);
    // Nothing was opened: a mistyped command leaves no event log behind.
    expect(existsSync(`${data.dir}/events.sqlite`)).toBe(false);
  });
});

describe('establishment:add on a folder no hub has run on', () => {
  const data = tempDataDir();
  afterAll(() => data.remove());

  it('registers, and says the data folder was new', async () => {
    const ran = await run(
      'packages/auth/src/establishment-cli.ts',
      ['add', '--cnes', '1234567', '--name', 'UBS Centro'],
      { NEXO_DATA_DIR: data.dir },
    );
    expect(ran.status).toBe(0);
    expect(ran.stdout).toMatch(/^client_id=1234567\nclient_secret=\S+\n$/);
    expect(ran.stderr).toContain(`registered in a new data folder, ${data.dir}`);
    const again = await run('packages/auth/src/establishment-cli.ts', ['rotate', '--cnes', '1234567'], {
      NEXO_DATA_DIR: data.dir,
    });
    expect(again.status).toBe(0);
    expect(again.stderr).not.toContain('new data folder');
  });
});

describe('a data folder that cannot be written', () => {
  const data = tempDataDir();
  afterAll(() => data.remove());

  // Under a regular file, as a mistyped path can be: mkdir fails whoever runs the test (a
  // read-only mount fails the same check with EROFS, but needs privileges to set up).
  it.each([
    ['the hub', 'services/hub/src/main.ts'],
    ['the ingest service', 'services/ingest/src/main.ts'],
    ['the citizen API', 'services/citizen/src/main.ts'],
    ['the projector', 'services/projector/src/main.ts'],
  ])('%s stops at start with one line naming NEXO_DATA_DIR, exit 1, no stack', async (_name, path) => {
    const file = join(data.dir, 'not-a-folder');
    writeFileSync(file, '');
    const ran = await run(path, [], { NEXO_DATA_DIR: join(file, 'data'), PORT: '0' });
    expect(ran.status).toBe(1);
    const fatal = ran.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: number; msg: string; code?: string })
      .filter((entry) => entry.level === 60);
    expect(fatal).toEqual([
      expect.objectContaining({
        code: 'ENOTDIR',
        msg: expect.stringMatching(/^cannot start: the data folder \(NEXO_DATA_DIR\) cannot be written/),
      }),
    ]);
    expect(ran.stderr).not.toMatch(/\n\s+at /);
  });
});
