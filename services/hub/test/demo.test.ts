import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBanner } from '../src/demo/banner.ts';
import {
  DEMO_CITIZENS,
  demoDocuments,
  demoLoaded,
  demoToLoad,
  isEmptyDataDir,
  seedDemo,
} from '../src/demo/seed.ts';
import { startHub, tempDataDir, type RunningHub } from './hub-harness.ts';

const tokenOf = (citizen: (typeof DEMO_CITIZENS)[number]) =>
  `dev-citizen-${citizen.kind.toLowerCase()}-${citizen.number}`;

describe('the demo `pnpm start` seeds on a first start', () => {
  const data = tempDataDir();
  let hub: RunningHub;
  let seeded = 0;

  beforeAll(async () => {
    hub = await startHub(data.dir);
    seeded = await seedDemo(hub.hub.app, new Date());
    await hub.hub.projector.caughtUp();
  });
  afterAll(async () => {
    await hub.stop();
    data.remove();
  });

  it('submits every demo document through the ingest route, each accepted as a new record', async () => {
    expect(seeded).toBe(demoDocuments(new Date()).length);
    const events = await hub.hub.engines.store.readAll(0, 1_000);
    expect(events.filter((e) => e.type === 'RecordSubmitted')).toHaveLength(seeded);
    expect(events.filter((e) => e.type === 'SubmissionRejected')).toHaveLength(0);
  });

  it('gives each demo citizen records to see: Maria has vaccines, an exam and medicines', async () => {
    const [maria, joao, ana] = DEMO_CITIZENS;
    const count = async (citizen: (typeof DEMO_CITIZENS)[number], path: string, key: string) =>
      ((await (await hub.get(path, tokenOf(citizen))).json()) as Record<string, unknown[]>)[key]?.length;
    expect(await count(maria, '/citizen/v1/me/immunizations', 'immunizations')).toBe(3);
    expect(await count(maria, '/citizen/v1/me/lab-results', 'labResults')).toBe(1);
    expect(await count(maria, '/citizen/v1/me/dispensations', 'dispensations')).toBe(1);
    expect(await count(joao, '/citizen/v1/me/timeline', 'entries')).toBe(2);
    expect(await count(ana, '/citizen/v1/me/timeline', 'entries')).toBe(2);
  });

  it('loads again, without a duplicate, after a load that did not finish; then never again', async () => {
    const dir = join(data.dir, 'resumed');
    const firstDay = new Date(Date.UTC(2026, 0, 15, 12));
    expect(demoToLoad(dir, true, firstDay)).toEqual(firstDay);
    // The next start, a day later, finds the load unfinished and builds the same documents.
    expect(demoToLoad(dir, false, new Date(Date.UTC(2026, 0, 16, 12)))).toEqual(firstDay);
    const resumed = await startHub(dir);
    try {
      // An interrupted load, then its resumption: each document is recorded once.
      expect(await seedDemo(resumed.hub.app, firstDay)).toBe(seeded);
      expect(await seedDemo(resumed.hub.app, firstDay)).toBe(seeded);
      const events = await resumed.hub.engines.store.readAll(0, 1_000);
      expect(events.filter((e) => e.type === 'RecordSubmitted')).toHaveLength(seeded);
      await resumed.hub.projector.caughtUp();
      const card = (await (
        await resumed.get('/citizen/v1/me/immunizations', tokenOf(DEMO_CITIZENS[0]))
      ).json()) as {
        immunizations: unknown[];
      };
      expect(card.immunizations).toHaveLength(3);
    } finally {
      await resumed.stop();
    }
    demoLoaded(dir);
    expect(demoToLoad(dir, false, new Date())).toBeUndefined();
  });

  it('resumes a load an earlier release left unfinished, keeping the documents it built otherwise', async () => {
    const dir = join(data.dir, 'earlier-release');
    const firstDay = new Date(Date.UTC(2026, 0, 15, 12));
    expect(demoToLoad(dir, true, firstDay)).toEqual(firstDay);
    const resumed = await startHub(dir);
    try {
      // The earlier release's first demo document: the same identifier, other content.
      const [first] = demoDocuments(firstDay);
      const earlier = structuredClone(first!.bundle) as {
        entry: Array<{ resource: Record<string, unknown> }>;
      };
      earlier.entry[1]!.resource.lotNumber = 'FP0001';
      const sent = await resumed.post('/fhir/r4/Bundle', earlier, `dev-establishment-${first!.sender}`);
      expect(sent.status).toBe(201);
      expect(await seedDemo(resumed.hub.app, firstDay)).toBe(seeded);
      const events = await resumed.hub.engines.store.readAll(0, 1_000);
      expect(events.filter((e) => e.type === 'RecordSubmitted')).toHaveLength(seeded);
      await resumed.hub.projector.caughtUp();
      const card = (await (
        await resumed.get('/citizen/v1/me/immunizations', tokenOf(DEMO_CITIZENS[0]))
      ).json()) as { immunizations: Array<{ immunization: { lotNumber: string } }> };
      expect(card.immunizations.map((i) => i.immunization.lotNumber).sort()).toEqual([
        'FP0001',
        'FP9012',
        'INF25B031',
      ]);
    } finally {
      await resumed.stop();
    }
  });

  it('dates every demo document in the past, whatever the time of day', () => {
    for (const hour of [0, 2, 12, 23]) {
      const now = new Date(Date.UTC(2026, 0, 15, hour, 59));
      for (const { bundle } of demoDocuments(now))
        expect(Date.parse(String(bundle.timestamp))).toBeLessThan(now.getTime());
    }
  });

  it('seeds only an empty data folder, and the banner says how to log in', () => {
    const empty = join(data.dir, 'empty');
    expect(isEmptyDataDir(join(data.dir, 'missing'))).toBe(true);
    mkdirSync(empty);
    expect(isEmptyDataDir(empty)).toBe(true);
    writeFileSync(join(empty, 'events.sqlite'), '');
    expect(isEmptyDataDir(empty)).toBe(false);
    const banner = startBanner({ url: 'http://localhost:8080', development: true, seeded: 9 });
    expect(banner).toContain('http://localhost:8080/portal/');
    expect(banner).toContain('Demo data: 9 documents');
    for (const citizen of DEMO_CITIZENS) expect(banner).toContain(`${citizen.kind} ${citizen.number}`);
    expect(startBanner({ url: 'http://x', development: false })).not.toMatch(/CNS|CPF/);
  });
});
