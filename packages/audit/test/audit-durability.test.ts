import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  NODE_WAL_FILE_OPS,
  openSqliteAuditLog,
  type AuditEvent,
  type AuditLog,
  type WalFileOps,
} from '../src/index.ts';

const dirs: string[] = [];
const opened: AuditLog[] = [];
const tempFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'nexo-audit-durable-'));
  dirs.push(dir);
  return join(dir, 'audit.sqlite');
};
const open = (file: string, walFileOps?: WalFileOps) => {
  const log = openSqliteAuditLog({ file, ...(walFileOps ? { walFileOps } : {}) });
  opened.push(log);
  return log;
};
afterEach(async () => {
  await Promise.all(opened.splice(0).map((l) => l.close().catch(() => undefined)));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const event = (n: number): AuditEvent => ({
  at: new Date(Date.UTC(2025, 0, 1, 0, 0, n)).toISOString(),
  actor: { kind: 'citizen', id: 'cpf:0123456789abcdef0123456789abcdef' },
  origin: { address: '10.0.0.1' },
  action: 'GET /citizen/v1/me/immunizations',
  resource: 'citizen/me/immunizations',
  outcome: 'allowed',
  status: 200,
  correlationId: `corr-${n}`,
});

/** WAL file operations whose syncs wait until the test releases them, and can be made to fail. */
const heldSyncs = () => {
  const held: { path?: string; release: (err?: Error) => void }[] = [];
  let path: string | undefined;
  const ops: WalFileOps = {
    ...NODE_WAL_FILE_OPS,
    open: (p) => {
      path = p;
      return NODE_WAL_FILE_OPS.open(p);
    },
    sync: (fd) =>
      new Promise<void>((resolve, reject) => {
        held.push({
          ...(path === undefined ? {} : { path }),
          release: (err) => (err ? reject(err) : resolve(NODE_WAL_FILE_OPS.sync(fd))),
        });
      }),
  };
  return { ops, held };
};

const settled = async (promise: Promise<unknown>): Promise<'pending' | 'resolved' | 'rejected'> =>
  Promise.race([
    promise.then(
      () => 'resolved' as const,
      () => 'rejected' as const,
    ),
    new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), 20)),
  ]);

describe('sqlite audit log durability', () => {
  it('resolves an append only once a sync of the WAL, started after its commit, has completed', async () => {
    const file = tempFile();
    const { ops, held } = heldSyncs();
    const log = open(file, ops);
    const appended = log.append(event(1));
    await expect.poll(() => held.length).toBe(1);
    expect(held[0]!.path).toBe(`${file}-wal`);
    expect(await settled(appended)).toBe('pending');
    held[0]!.release();
    expect(await appended).toMatchObject({ seq: 1, correlationId: 'corr-1' });
  });

  it('keeps an entry whose append resolved: a copy of the files taken without closing (a crash) holds it', async () => {
    const file = tempFile();
    const log = open(file);
    const entries = await Promise.all([1, 2, 3].map((n) => log.append(event(n))));
    const crashed = join(dirs[0]!, 'after-crash.sqlite');
    copyFileSync(file, crashed);
    expect(existsSync(`${file}-wal`)).toBe(true);
    copyFileSync(`${file}-wal`, `${crashed}-wal`);
    const reopened = open(crashed);
    expect(await reopened.read(0, 10)).toEqual(entries);
    expect(await reopened.verify()).toEqual({ ok: true, entries: 3, head: entries[2]!.hash });
  });

  it('rejects the entries of a failed sync, and every later append, instead of resolving them', async () => {
    const file = tempFile();
    const { ops, held } = heldSyncs();
    const log = open(file, ops);
    const first = log.append(event(1));
    await expect.poll(() => held.length).toBe(1);
    held[0]!.release(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
    await expect(first).rejects.toThrow(/EIO/);
    // After a failed fsync the kernel may report the next one as clean: nothing later is trusted.
    await expect(log.append(event(2))).rejects.toThrow(/EIO/);
    expect(held).toHaveLength(1);
  });

  it('syncs nothing but still commits without WAL (an in-memory log)', async () => {
    const log = openSqliteAuditLog({ file: ':memory:' });
    opened.push(log);
    const entry = await log.append(event(1));
    expect(await log.read(0, 10)).toEqual([entry]);
  });
});
