/**
 * The hub on a full disk (a real one: a small tmpfs filled up). Restarted over the files a crash
 * left, it starts, serves reads and is not ready; it accepts a write only while the commit still
 * fits in the space its files already hold, and answers the first one that finds no room 503 with
 * Retry-After. Once space is freed it is ready and accepts again, and nothing it had accepted,
 * before the crash or on the full disk, is lost. Where it cannot start (SQLite finds no room for a
 * log's WAL index), it exits with one log line naming the cause.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { mountSmallDisk, smallDiskUnavailable, type SmallDisk } from '@nexo/testkit';
import { SENDER, recordIdOf, riaBundle, startHub, type RunningHub } from './hub-harness.ts';
import { spawnHub } from './hub-process.ts';

const unavailable = await smallDiskUnavailable();
if (unavailable !== undefined) console.warn(`the hub on a full disk — skipped: ${unavailable}`);

/** The record ids of every document the log has accepted, in log order. */
const acceptedRecordIds = async (hub: RunningHub): Promise<string[]> =>
  (await hub.hub.engines.store.readAll(0, 10_000))
    .filter((event) => event.type === 'RecordSubmitted')
    .map((event) => (event.data as { recordId: string }).recordId);

/**
 * At most this many rounds of FILL_CONCURRENCY documents on a full disk before one is refused. A
 * full disk still takes the commits that fit in space the event log's files already hold: the WAL
 * the killed hub left (a few appends' worth) is rewritten from its start once a checkpoint has
 * copied all its frames into the database file (whether the killed hub's checkpointer did before
 * the kill is a matter of timing), and pages freed inside that file are reused. The database file
 * cannot grow, so a checkpoint soon cannot empty the WAL, the WAL must grow past its old size, and
 * that commit fails. Forty documents is many times what the WAL left behind can hold.
 */
const FILL_ROUNDS = 10;
const FILL_CONCURRENCY = 4;

/**
 * Posts distinct documents, FILL_CONCURRENCY at once, until one is refused; fails the test when
 * an answer is neither 201 nor 503, or when FILL_ROUNDS pass without a refusal. Gives the record
 * ids accepted in each round (a round's order in the log is free: its writes were concurrent) and
 * the refused documents with their answers.
 */
const writeUntilRefused = async (
  hub: RunningHub,
): Promise<{
  rounds: string[][];
  refused: Array<{ bundle: Record<string, unknown>; response: Response }>;
}> => {
  const rounds: string[][] = [];
  for (let round = 0; round < FILL_ROUNDS; round++) {
    const numbers = Array.from({ length: FILL_CONCURRENCY }, (_, i) => round * FILL_CONCURRENCY + i);
    const bundles = numbers.map((n) => riaBundle({ identifier: `full-disk-fill-${n}`, lot: `FILL${n}` }));
    const answers = await Promise.all(bundles.map((bundle) => hub.post('/fhir/r4/Bundle', bundle)));
    for (const [i, answer] of answers.entries())
      expect(answer.status, `the answer to full-disk-fill-${numbers[i]}`).toBeOneOf([201, 503]);
    const accepted = answers.filter((answer) => answer.status === 201);
    rounds.push(accepted.map(recordIdOf));
    await Promise.all(accepted.map((answer) => answer.body?.cancel()));
    const refused = bundles
      .map((bundle, i) => ({ bundle, response: answers[i]! }))
      .filter(({ response }) => response.status === 503);
    if (refused.length > 0) return { rounds, refused };
  }
  throw new Error(
    `no write was refused within ${FILL_ROUNDS * FILL_CONCURRENCY} documents on the full disk: ` +
      `all ${rounds.flat().length} answered 201`,
  );
};

/** `log` is `groups` in their order, each group's ids in any order among themselves. */
const expectLogOrder = (log: readonly string[], groups: readonly (readonly string[])[]): void => {
  let at = 0;
  const segments = groups.map((group) => {
    const segment = log.slice(at, at + group.length);
    at += group.length;
    return [...segment].sort();
  });
  expect(
    { segments, after: log.slice(at) },
    'the log holds every accepted record, in the order they were answered',
  ).toEqual({
    segments: groups.map((group) => [...group].sort()),
    after: [],
  });
};

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
    // In the read models before the disk fills: the reads on the full disk must list it.
    await first.hub.projector.caughtUp();
    await first.stop();
    // The hub as `pnpm start` runs it, killed right after a 201: its WAL and WAL index stay behind.
    const killed = spawnHub(dataDir, { NEXO_MIN_FREE_DISK_MB: '1' });
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
    // Writes go on until a commit finds no room: those that still fit where the log's files already
    // have their space (a WAL the killed hub's checkpointer had copied out is rewritten from its
    // start) are accepted and durable; then the disk refuses, 503 with Retry-After.
    const { rounds, refused } = await writeUntilRefused(hub);
    const fillAccepted = rounds.flat();
    for (const { response } of refused) {
      expect(response.headers.get('retry-after')).toBe('1');
      expect(await response.json()).toMatchObject({
        resourceType: 'OperationOutcome',
        issue: [
          { severity: 'error', code: 'transient', details: { coding: [{ code: 'NEXO_ERR_UNAVAILABLE' }] } },
        ],
      });
    }
    // Each refusal is a commit that found no room, nothing else.
    expect(
      hub.logLines
        .map((line) => JSON.parse(line) as { msg?: string; err?: { code?: string } })
        .filter((entry) => entry.msg === 'dependency unavailable')
        .map((entry) => entry.err?.code),
    ).toEqual(refused.map(() => expect.stringMatching(/^(?:SQLITE_FULL|ENOSPC)$/)));
    // Reads answer: the log holds every accepted record and none refused (the ones accepted since
    // the restart reach the read models once the projector can write again).
    const submissions = await hub.get('/establishment/v1/submissions', `dev-establishment-${SENDER}`);
    expect(submissions.status).toBe(200);
    const listed = (await submissions.json()) as { submissions: Array<{ recordId: string }> };
    expect(listed.submissions.map((s) => s.recordId)).toContain(recordIdOf(accepted));
    expectLogOrder(await acceptedRecordIds(hub), [
      [recordIdOf(accepted)],
      [recordIdOf(lastAccepted)],
      ...rounds,
    ]);

    disk.free();
    expect(await readyBody(hub)).toMatchObject({ status: 200, body: { status: 'pass' } });
    // The refused document, sent again, is accepted: the refusal had stored nothing of it.
    const later = await hub.post('/fhir/r4/Bundle', refused[0]!.bundle);
    expect(later.status).toBe(201);
    await hub.hub.projector.caughtUp();
    const after = (await (
      await hub.get('/establishment/v1/submissions', `dev-establishment-${SENDER}`)
    ).json()) as { submissions: Array<{ recordId: string }> };
    expect(after.submissions.map((s) => s.recordId).sort()).toEqual(
      [recordIdOf(accepted), recordIdOf(lastAccepted), ...fillAccepted, recordIdOf(later)].sort(),
    );
    expectLogOrder(await acceptedRecordIds(hub), [
      [recordIdOf(accepted)],
      [recordIdOf(lastAccepted)],
      ...rounds,
      [recordIdOf(later)],
    ]);
    // Two in-process hubs and one spawned (its start compiles the sources): 25 s on a loaded machine.
  }, 90_000);

  it('cannot open its logs on a full disk after a clean stop: exits 1 with one log line naming the cause, no stack', async () => {
    disk = await mountSmallDisk(24);
    const dataDir = join(disk.dir, 'data');
    const first = await startHub(dataDir, { minFreeDiskMb: 1 });
    expect((await first.post('/fhir/r4/Bundle', riaBundle({ identifier: 'full-disk-3' }))).status).toBe(201);
    await first.stop();
    disk.fill();

    const hub = spawnHub(dataDir, { NEXO_MIN_FREE_DISK_MB: '1' });
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
