import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import {
  GENESIS_HASH,
  createPseudonymizer,
  entryHash,
  loadOrCreateKey,
  openSqliteAuditLog,
  type AuditEvent,
  type AuditLog,
} from '../src/index.ts';

const dirs: string[] = [];
const opened: AuditLog[] = [];
const tempFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'nexo-audit-'));
  dirs.push(dir);
  return join(dir, 'audit.sqlite');
};
const open = (file: string) => {
  const log = openSqliteAuditLog({ file });
  opened.push(log);
  return log;
};
afterEach(async () => {
  await Promise.all(opened.splice(0).map((l) => l.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const event = (n: number, overrides: Partial<AuditEvent> = {}): AuditEvent => ({
  at: new Date(Date.UTC(2025, 0, 1, 0, 0, n)).toISOString(),
  actor: { kind: 'establishment', id: '9990011' },
  origin: { address: '10.0.0.1', establishment: '9990011' },
  action: 'GET /fhir/r4/Bundle/:id',
  resource: `Bundle/record-${n}`,
  outcome: 'allowed',
  status: 200,
  correlationId: `corr-${n}`,
  ...overrides,
});

/** Opens the file the way an intruder would: without the append-only triggers. */
const tamper = (file: string, sql: string) => {
  const db = new Database(file);
  db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
  db.exec(sql);
  db.close();
};

/** What an intruder who knows the hashing would write for entry 5 with another actor. */
const chainOf = (n: number) => {
  let prev = GENESIS_HASH;
  return Array.from({ length: n }, (_, i) => {
    const hash = entryHash(i + 1, prev, event(i + 1));
    const entry = { prev, hash };
    prev = hash;
    return entry;
  });
};
const rehashed = entryHash(5, chainOf(4)[3]!.hash, {
  ...event(5),
  actor: { kind: 'establishment', id: '1234567' },
});

const CLI = fileURLToPath(new URL('../src/verify-cli.ts', import.meta.url));
const runVerify = (file: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', CLI, '--file', file], { encoding: 'utf8' });

describe('sqlite audit log', () => {
  it('chains each entry to the previous one from the genesis hash, and reads them back in order', async () => {
    const log = open(tempFile());
    const first = await log.append(event(1));
    const second = await log.append(
      event(2, { actor: { kind: 'citizen', id: 'cpf:abc' }, origin: { address: '::1' } }),
    );
    expect(first).toEqual({
      ...event(1),
      seq: 1,
      prevHash: GENESIS_HASH,
      hash: entryHash(1, GENESIS_HASH, event(1)),
    });
    expect(second.prevHash).toBe(first.hash);
    expect(second.origin).toEqual({ address: '::1' });
    expect(await log.read(0, 10)).toEqual([first, second]);
    expect(await log.read(1, 10)).toEqual([second]);
    expect(await log.verify()).toEqual({ ok: true, entries: 2, head: second.hash });
  });

  it('keeps one gap-free chain under concurrent appends, across two handles on one file and a reopen', async () => {
    const file = tempFile();
    const a = open(file);
    const b = open(file);
    await Promise.all(Array.from({ length: 150 }, (_, i) => (i % 2 ? a : b).append(event(i))));
    await a.close();
    const reopened = open(file);
    await reopened.append(event(999));
    const entries = await reopened.read(0, 1_000);
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 151 }, (_, i) => i + 1));
    expect(await reopened.verify()).toMatchObject({ ok: true, entries: 151 });
  });

  it('commits every entry asked for before close() returns, even those nobody awaited', async () => {
    const file = tempFile();
    const log = openSqliteAuditLog({ file });
    const appends = Array.from({ length: 40 }, (_, i) => log.append(event(i + 1)));
    await log.close();
    await expect(Promise.all(appends)).resolves.toHaveLength(40);
    await expect(log.append(event(41))).rejects.toThrow(/closed/);
    expect(await open(file).verify()).toEqual({ ok: true, entries: 40, head: (await appends[39])!.hash });
  });

  it('fails the appends of a batch the file refuses, and commits the next ones in an unbroken chain', async () => {
    const file = tempFile();
    const log = open(file);
    await log.append(event(1));
    const db = new Database(file);
    db.exec(
      `CREATE TRIGGER refuse BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'disk says no'); END;`,
    );
    await expect(log.append(event(2))).rejects.toThrow(/could not be written: disk says no/);
    db.exec('DROP TRIGGER refuse');
    db.close();
    const third = await log.append(event(3));
    expect(third.seq).toBe(2);
    expect(await log.verify()).toMatchObject({ ok: true, entries: 2 });
  });

  it('refuses an entry that lacks a field on its own: the others appended with it are committed', async () => {
    const log = open(tempFile());
    const incomplete = {
      ...event(2),
      origin: { address: undefined as unknown as string },
    };
    const [first, second, third] = await Promise.allSettled([
      log.append(event(1)),
      log.append(incomplete),
      log.append(event(3)),
    ]);
    expect(first).toMatchObject({ status: 'fulfilled', value: { seq: 1 } });
    expect(second).toMatchObject({
      status: 'rejected',
      reason: { message: expect.stringMatching(/the entry has no origin\.address/) },
    });
    expect(third).toMatchObject({ status: 'fulfilled', value: { seq: 2 } });
    expect(await log.verify()).toMatchObject({ ok: true, entries: 2 });
  });

  it('refuses UPDATE and DELETE through SQL: the log is append-only', async () => {
    const file = tempFile();
    const log = open(file);
    await log.append(event(1));
    const db = new Database(file);
    expect(() => db.exec("UPDATE audit_log SET actor_id = 'x'")).toThrow(/append-only/);
    expect(() => db.exec('DELETE FROM audit_log')).toThrow(/append-only/);
    db.close();
  });

  it.each([
    ['an altered field', "UPDATE audit_log SET actor_id = '1234567' WHERE seq = 5", 5, 'entry 5 was altered'],
    [
      'an altered entry whose hash was recomputed',
      `UPDATE audit_log SET actor_id = '1234567', hash = '${rehashed}' WHERE seq = 5`,
      6,
      'entry 6 does not link to entry 5',
    ],
    ['a removed entry', 'DELETE FROM audit_log WHERE seq = 4', 4, 'entry 4 is missing'],
    [
      'two swapped entries',
      'UPDATE audit_log SET seq = -1 WHERE seq = 3; UPDATE audit_log SET seq = 3 WHERE seq = 7; UPDATE audit_log SET seq = 7 WHERE seq = -1;',
      3,
      'entry 3 does not link to entry 2',
    ],
  ])(
    'names the first broken link after %s, and audit:verify exits 1',
    async (_name, sql, brokenAt, reason) => {
      const file = tempFile();
      const log = open(file);
      for (let i = 1; i <= 8; i++) await log.append(event(i));
      expect(runVerify(file)).toMatchObject({
        status: 0,
        stdout: expect.stringMatching(/8 entries, chain intact/),
      });
      await log.close();
      tamper(file, sql);
      const reopened = open(file);
      const result = await reopened.verify();
      expect(result).toMatchObject({ ok: false, brokenAt, entries: brokenAt - 1 });
      expect(result.ok ? '' : result.reason).toContain(reason);
      const cli = runVerify(file);
      expect(cli.status).toBe(1);
      expect(cli.stderr).toContain(`BROKEN at entry ${brokenAt}`);
    },
  );
});

/**
 * A read-only view of `dir` (a read-only bind mount), or why none could be made here: mounting
 * needs privileges a developer's machine may not give the tests.
 */
const readOnlyView = (dir: string): { path: string; release(): void } | { unavailable: string } => {
  const path = mkdtempSync(join(tmpdir(), 'nexo-audit-ro-'));
  const bind = spawnSync('mount', ['--bind', dir, path], { encoding: 'utf8' });
  if (bind.status !== 0) {
    rmSync(path, { recursive: true, force: true });
    return {
      unavailable: `a read-only bind mount cannot be made here (${(bind.stderr || String(bind.error)).trim()})`,
    };
  }
  const release = () => {
    spawnSync('umount', [path]);
    rmSync(path, { recursive: true, force: true });
  };
  if (spawnSync('mount', ['-o', 'remount,ro,bind', path]).status !== 0) {
    release();
    return { unavailable: 'a bind mount cannot be made read-only here' };
  }
  return { path, release };
};

describe('audit:verify on read-only storage', () => {
  const probe = mkdtempSync(join(tmpdir(), 'nexo-audit-probe-'));
  const view = readOnlyView(probe);
  if ('release' in view) view.release();
  rmSync(probe, { recursive: true, force: true });
  if ('unavailable' in view) console.info(`audit:verify on read-only storage: skipped, ${view.unavailable}`);

  it.skipIf('unavailable' in view)(
    'verifies a log kept where it cannot write from a copy, broken links included',
    async () => {
      const file = tempFile();
      const log = open(file);
      for (let i = 1; i <= 8; i++) await log.append(event(i));
      await log.close();
      const dir = join(file, '..');
      const readOnly = readOnlyView(dir);
      if (!('release' in readOnly)) throw new Error(readOnly.unavailable);
      try {
        const intact = runVerify(join(readOnly.path, 'audit.sqlite'));
        expect(intact).toMatchObject({ status: 0, stdout: expect.stringMatching(/8 entries, chain intact/) });
        expect(intact.stdout).toContain('verifying a copy');
      } finally {
        readOnly.release();
      }
      tamper(file, "UPDATE audit_log SET outcome = 'denied' WHERE seq = 4");
      const tampered = readOnlyView(dir);
      if (!('release' in tampered)) throw new Error(tampered.unavailable);
      try {
        const broken = runVerify(join(tampered.path, 'audit.sqlite'));
        expect(broken.status).toBe(1);
        expect(broken.stderr).toContain('BROKEN at entry 4');
      } finally {
        tampered.release();
      }
    },
  );
});

describe('citizen pseudonyms', () => {
  it('are keyed hashes: stable for one key, different under another, never the number', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nexo-key-'));
    dirs.push(dir);
    const key = loadOrCreateKey(join(dir, 'keys', 'k'));
    expect(loadOrCreateKey(join(dir, 'keys', 'k'))).toEqual(key);
    const pseudonym = createPseudonymizer(key);
    const other = createPseudonymizer(Buffer.alloc(32, 1));
    expect(pseudonym('CPF', '93273918454')).toMatch(/^cpf:[0-9a-f]{32}$/);
    expect(pseudonym('CPF', '93273918454')).toBe(pseudonym('CPF', '93273918454'));
    expect(pseudonym('CPF', '93273918454')).not.toBe(other('CPF', '93273918454'));
    expect(pseudonym('CNS', '266764941990004')).toMatch(/^cns:/);
    expect(pseudonym('CPF', '93273918454')).not.toContain('93273918454');
  });

  it('remembered or not, a pseudonym is the one its number and kind give', () => {
    const key = Buffer.alloc(32, 7);
    const pseudonym = createPseudonymizer(key);
    const first = pseudonym('CPF', '93273918454');
    const numbers = Array.from({ length: 12_000 }, (_, i) => String(10_000_000_000 + i));
    const seen = numbers.map((n) => pseudonym('CPF', n));
    // Asked again after the memory has turned over, and by a fresh pseudonymizer with the same key.
    expect(pseudonym('CPF', '93273918454')).toBe(first);
    expect(numbers.map((n) => pseudonym('CPF', n))).toEqual(seen);
    expect(createPseudonymizer(key)('CPF', numbers[5] as string)).toBe(seen[5]);
    expect(new Set(seen).size).toBe(numbers.length);
    expect(pseudonym('CNS', '93273918454')).not.toBe(first);
  });
});
