/**
 * The hub on a full disk (a real one: a small tmpfs filled up). Restarted over the files a crash
 * left, it starts, serves reads, answers writes 503 with Retry-After and is not ready; once space
 * is freed it is ready and accepts again, and nothing it had accepted is lost. Where it cannot
 * start (SQLite finds no room for a log's WAL index), it exits with one log line naming the cause.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { mountSmallDisk, smallDiskUnavailable, waitFor, type SmallDisk } from '@nexo/testkit';
import { SENDER, recordIdOf, riaBundle, startHub, type RunningHub } from './hub-harness.ts';

const unavailable = await smallDiskUnavailable();
if (unavailable !== undefined) console.warn(`the hub on a full disk — skipped: ${unavailable}`);

const MAIN = new URL('../src/main.ts', import.meta.url).pathname;

interface HubProcess {
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  readonly exited: Promise<number | null>;
  /** The URL it listens on, once its log says so. */
  listening(): Promise<string>;
}

/** `pnpm start` as a process of its own (main.ts), over `dataDir`, on a port of its choosing. */
const spawnHub = (dataDir: string): HubProcess => {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    cwd: new URL('..', import.meta.url).pathname,
    env: {
      ...process.env,
      NEXO_DATA_DIR: dataDir,
      NEXO_MIN_FREE_DISK_MB: '1',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const address = () => /"msg":"Server listening at (http:\/\/127\.0\.0\.1:\d+)"/.exec(stdout)?.[1];
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    listening: async () => {
      await waitFor(
        'the hub process to listen',
        () => address() !== undefined || child.exitCode !== null,
        60_000,
      );
      const url = address();
      if (url === undefined) throw new Error(`the hub process exited: ${stderr || stdout}`);
      return url;
    },
  };
};

/** The record ids of every document the log has accepted, in log order. */
const acceptedRecordIds = async (hub: RunningHub): Promise<string[]> =>
  (await hub.hub.engines.store.readAll(0, 10_000))
    .filter((event) => event.type === 'RecordSubmitted')
    .map((event) => (event.data as { recordId: string }).recordId);

const readyBody = async (hub: RunningHub) => {
  const response = await fetch(`${hub.url}/ready`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe.skipIf(unavailable !== undefined)('the hub on a full disk', () => {
  let disk: SmallDisk | undefined;
  const cleanup: Array<() => unknown> = [];
  afterEach(async () => {
    disk?.free();
    for (const step of cleanup.splice(0).reverse()) await step();
    await disk?.unmount();
    disk = undefined;
  });

  it('restarted over the files a crash left, it starts, serves reads, refuses writes with 503 and is not ready until space is freed', async () => {
    disk = await mountSmallDisk(24);
    const dataDir = join(disk.dir, 'data');
    const first = await startHub(dataDir, { minFreeDiskMb: 1 });
    const accepted = await first.post('/fhir/r4/Bundle', riaBundle({ identifier: 'full-disk-1' }));
    expect(accepted.status).toBe(201);
    await first.stop();
    // The hub as `pnpm start` runs it, killed right after a 201: its WAL and WAL index stay behind.
    const killed = spawnHub(dataDir);
    cleanup.push(() => killed.child.kill('SIGKILL'));
    const url = await killed.listening();
    const lastAccepted = await fetch(`${url}/fhir/r4/Bundle`, {
      method: 'POST',
      headers: {
        'content-type': 'application/fhir+json',
        authorization: `Bearer dev-establishment-${SENDER}`,
      },
      body: JSON.stringify(riaBundle({ identifier: 'full-disk-killed', lot: 'KILLED' })),
    });
    expect(lastAccepted.status).toBe(201);
    killed.child.kill('SIGKILL');
    await killed.exited;
    disk.fill();

    const hub = await startHub(dataDir, { minFreeDiskMb: 1 });
    cleanup.push(() => hub.stop());
    expect(await readyBody(hub)).toEqual({
      status: 503,
      body: {
        resourceType: 'OperationOutcome',
        issue: [
          {
            severity: 'error',
            code: 'transient',
            details: {
              coding: [
                {
                  system: 'https://nexo.saude.example/fhir/CodeSystem/nexo-error',
                  code: 'NEXO_ERR_UNAVAILABLE',
                  display: 'the hub is not ready',
                },
              ],
            },
            diagnostics: 'not ready: disk space failed its check.',
          },
        ],
      },
    });
    const refused = await hub.post('/fhir/r4/Bundle', riaBundle({ identifier: 'full-disk-2', lot: 'FULL2' }));
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toMatchObject({
      resourceType: 'OperationOutcome',
      issue: [
        { severity: 'error', code: 'transient', details: { coding: [{ code: 'NEXO_ERR_UNAVAILABLE' }] } },
      ],
    });
    // Reads answer: the log holds both accepted records (the second one reaches the read models
    // once the projector can write again).
    const submissions = await hub.get('/establishment/v1/submissions', `dev-establishment-${SENDER}`);
    expect(submissions.status).toBe(200);
    const listed = (await submissions.json()) as { submissions: Array<{ recordId: string }> };
    expect(listed.submissions.map((s) => s.recordId)).toContain(recordIdOf(accepted));
    expect(await acceptedRecordIds(hub)).toEqual([recordIdOf(accepted), recordIdOf(lastAccepted)]);

    disk.free();
    expect(await readyBody(hub)).toMatchObject({ status: 200, body: { status: 'pass' } });
    const later = await hub.post('/fhir/r4/Bundle', riaBundle({ identifier: 'full-disk-2', lot: 'FULL2' }));
    expect(later.status).toBe(201);
    await hub.hub.projector.caughtUp();
    const after = (await (
      await hub.get('/establishment/v1/submissions', `dev-establishment-${SENDER}`)
    ).json()) as { submissions: Array<{ recordId: string }> };
    expect(after.submissions.map((s) => s.recordId).sort()).toEqual(
      [recordIdOf(accepted), recordIdOf(lastAccepted), recordIdOf(later)].sort(),
    );
    expect(await acceptedRecordIds(hub)).toEqual([
      recordIdOf(accepted),
      recordIdOf(lastAccepted),
      recordIdOf(later),
    ]);
  });

  it('cannot open its logs on a full disk after a clean stop: exits 1 with one log line naming the cause, no stack', async () => {
    disk = await mountSmallDisk(24);
    const dataDir = join(disk.dir, 'data');
    const first = await startHub(dataDir, { minFreeDiskMb: 1 });
    expect((await first.post('/fhir/r4/Bundle', riaBundle({ identifier: 'full-disk-3' }))).status).toBe(201);
    await first.stop();
    disk.fill();

    const hub = spawnHub(dataDir);
    cleanup.push(() => hub.child.kill('SIGKILL'));
    const code = await hub.exited;
    const stdout = hub.stdout();
    const stderr = hub.stderr();
    expect(code).toBe(1);
    expect(stderr).toBe('');
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      level: 30,
      msg: expect.stringMatching(/^starting Nexo/),
    });
    expect(JSON.parse(lines[1] ?? '')).toEqual({
      level: 60,
      time: expect.any(Number),
      service: 'nexo-hub',
      pid: hub.child.pid,
      code: expect.stringMatching(/^SQLITE_/),
      dataDir,
      freeMb: 0,
      msg: 'cannot start: the disk of the data folder (NEXO_DATA_DIR) is full; free space there and start again',
    });
  }, 60_000);
});
