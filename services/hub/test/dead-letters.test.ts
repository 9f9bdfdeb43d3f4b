/**
 * Dead letters as an operator sees them: `nexo_dead_letters{group}` on /metrics, and a warning on
 * /ready that keeps it 200 (the node keeps serving; taking it out of the load balancer would not
 * bring the record back).
 */
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { COLLECTIONS, PROJECTOR_GROUP } from '@nexo/domain';
import { replayReadModels } from '@nexo/projector';
import { openEngines } from '@nexo/runtime';
import { CITIZEN_CNS, SENDER, example, startHub, tempDataDir, type RunningHub } from './hub-harness.ts';

const metricSample = (text: string, line: RegExp): number | undefined => {
  const match = text.split('\n').find((l) => line.test(l));
  return match === undefined ? undefined : Number(match.split(' ').at(-1));
};
const deadLettersOf = (text: string, group: string) =>
  metricSample(text, new RegExp(`^nexo_dead_letters\\{group="${group}"\\} `));

const READY_CHECKS = {
  'event store': 'pass',
  'read models': 'pass',
  projector: 'pass',
  'disk space': 'pass',
};

describe('dead letters on /metrics and /ready', () => {
  const data = tempDataDir();
  let hub: RunningHub;

  beforeAll(async () => {
    // No free-space floor: this suite is about dead letters, whatever the machine's disk holds.
    hub = await startHub(data.dir, { minFreeDiskMb: 0 });
  });
  afterAll(async () => {
    await hub.stop();
    data.remove();
  });

  it('counts none and /ready passes while every event was applied', async () => {
    expect((await hub.post('/fhir/r4/Bundle', example('ria-r'))).status).toBe(201);
    await hub.hub.projector.caughtUp();
    const metrics = await (await fetch(`${hub.url}/metrics`)).text();
    expect(metrics).toContain('# TYPE nexo_dead_letters gauge');
    expect(deadLettersOf(metrics, 'projector')).toBe(0);
    const ready = await fetch(`${hub.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'pass',
      checks: { ...READY_CHECKS, 'dead letters': 'pass' },
    });
  });

  it('reports an event the projector gave up on: the gauge counts it, /ready stays 200 with a warning', async () => {
    // An accepted event the projector cannot apply (its data lacks the document): after its
    // retries the group dead-letters it and goes on.
    await hub.hub.engines.store.append('poison-1', 0, [
      {
        id: '01960000-0000-7000-8000-00000000dead',
        type: 'RecordSubmitted',
        schemaVersion: 1,
        occurredAt: '2025-01-01T00:00:00.000Z',
        sender: '9990011',
        citizenKey: `cns:${CITIZEN_CNS}`,
        correlationId: '01960000-0000-7000-8000-00000000c0de',
        data: {},
      },
    ]);
    await hub.hub.projector.caughtUp();
    expect(await hub.hub.engines.deadLetterCount('projector')).toBe(1);

    const metrics = await (await fetch(`${hub.url}/metrics`)).text();
    expect(deadLettersOf(metrics, 'projector')).toBe(1);
    const ready = await fetch(`${hub.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'warn',
      checks: { ...READY_CHECKS, 'dead letters': 'warn' },
      warnings: {
        'dead letters':
          'consumer group projector gave up on 1 event: accepted records missing from its read models (docs/operations.md#dead-letters).',
      },
    });
    // The hub goes on projecting what comes after.
    expect(
      (await hub.post('/fhir/r4/Bundle', example('rel-qualitativo'), 'dev-establishment-9990022')).status,
    ).toBe(201);
    await hub.hub.projector.caughtUp();
    expect(await hub.hub.engines.deadLetterCount('projector')).toBe(1);
  });

  it('names the dead letters beside the failing checks when /ready is 503, and keeps them across a restart', async () => {
    await hub.stop();
    // Restarted asking for more free space than any disk has: not ready, and still warning.
    const strict = await startHub(data.dir, { minFreeDiskMb: 1_048_576 });
    try {
      const ready = await fetch(`${strict.url}/ready`);
      expect(ready.status).toBe(503);
      const outcome = (await ready.json()) as { issue: Array<Record<string, unknown>> };
      expect(outcome.issue.map((issue) => [issue.severity, issue.diagnostics])).toEqual([
        ['error', 'not ready: disk space failed its check.'],
        [
          'warning',
          'dead letters: consumer group projector gave up on 1 event: accepted records missing from its read models (docs/operations.md#dead-letters).',
        ],
      ]);
    } finally {
      await strict.stop();
    }
  });
});

describe('dead letters resolved by a replay', () => {
  /** An accepted record (as a projector test writes one) for the demo citizen. */
  const submitted = {
    id: '01960000-0000-7000-8000-0000000f1fed',
    type: 'RecordSubmitted',
    schemaVersion: 1,
    occurredAt: '2025-01-01T00:00:00.000Z',
    sender: SENDER,
    citizenKey: `cns:${CITIZEN_CNS}`,
    correlationId: '01960000-0000-7000-8000-00000000c0de',
    data: {
      recordId: 'record-fixed',
      recordType: 'RIA',
      model: 'RIA-R',
      bundleIdentifier: { system: 'urn:test', value: 'bundle-fixed' },
      citizen: { kind: 'CNS', number: CITIZEN_CNS },
      documentDate: '2025-01-01',
      contentHash: 'hash-fixed',
      document: { resourceType: 'Bundle' },
      summary: { recordType: 'RIA', occurrence: '2025-01-01' },
    },
  };

  it('takes a dead letter off /metrics and /ready once `pnpm replay` applied its event', async () => {
    const data = tempDataDir();
    onTestFinished(() => data.remove());
    const first = await startHub(data.dir, { minFreeDiskMb: 0 });
    expect((await first.post('/fhir/r4/Bundle', example('ria-r'))).status).toBe(201);
    await first.hub.projector.caughtUp();
    await first.stop();

    // While a projector bug stood, the group gave up on an accepted event (a handler that throws).
    const broken = await openEngines({ dataDir: data.dir });
    await broken.store.append('submission-fixed', 0, [submitted]);
    const subscription = await broken.bus.subscribe(
      PROJECTOR_GROUP,
      async () => {
        throw new Error('a projector bug, fixed since');
      },
      { maxAttempts: 1 },
    );
    await subscription.caughtUp();
    await subscription.stop();
    await broken.close();

    const warning = await startHub(data.dir, { minFreeDiskMb: 0 });
    try {
      expect(deadLettersOf(await (await fetch(`${warning.url}/metrics`)).text(), 'projector')).toBe(1);
      expect(await (await fetch(`${warning.url}/ready`)).json()).toMatchObject({ status: 'warn' });
      expect(await warning.hub.engines.readStore.get(COLLECTIONS.records, 'record-fixed')).toBeUndefined();
    } finally {
      await warning.stop();
    }

    // The fix is released; the hub is stopped for the replay, which applies the event and resolves its letter.
    const replay = await openEngines({ dataDir: data.dir });
    try {
      expect(await replayReadModels(replay)).toMatchObject({ resolved: 1, remaining: 0, stillFailing: [] });
    } finally {
      await replay.close();
    }

    const fixed = await startHub(data.dir, { minFreeDiskMb: 0 });
    try {
      expect(deadLettersOf(await (await fetch(`${fixed.url}/metrics`)).text(), 'projector')).toBe(0);
      const ready = await fetch(`${fixed.url}/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({
        status: 'pass',
        checks: { ...READY_CHECKS, 'dead letters': 'pass' },
      });
      expect(await fixed.hub.engines.deadLetterCount(PROJECTOR_GROUP)).toBe(0);
      expect(
        (await fixed.hub.engines.readStore.get(COLLECTIONS.records, 'record-fixed'))?.body,
      ).toMatchObject({
        recordId: 'record-fixed',
      });
    } finally {
      await fixed.stop();
    }
  });
});
