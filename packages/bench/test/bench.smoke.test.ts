/** The bench's pieces on tiny sizes: documents, seeding, load generators, report. No timing is asserted. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { PROJECTOR_GROUP } from '@nexo/domain';
import { seededRandom } from '@nexo/identifiers';
import { createDocumentValidator } from '@nexo/fhir';
import { openSqliteEventStore } from '@nexo/eventstore';
import { openSqliteReadStore } from '@nexo/readstore';
import { createWorkload } from '@nexo/testkit/synthetic';
import {
  CARD_PATH,
  closedLoop,
  distribution,
  formatTable,
  issueCitizenTokens,
  measureReferenceWork,
  openLoop,
  parseOptions,
  prebuiltSubmissions,
  seedCitizens,
  seedEvents,
  startCeiling,
  startHub,
} from '../src/index.ts';

const root = mkdtempSync(join(tmpdir(), 'nexo-bench-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('bench pieces', () => {
  it('generates documents the validator accepts, and invalid ones it refuses', () => {
    const validator = createDocumentValidator();
    const workload = createWorkload({
      seed: 5,
      citizens: 20,
      establishments: 3,
      mix: { RIA: 1, REL: 1, RDM: 1 },
      invalidShare: 0.3,
    });
    const outcomes = Array.from({ length: 60 }, () => {
      const submission = workload.next();
      const result = validator.validate(submission.bundle, { now: new Date() });
      const byOwnSender = result.ok && result.document.author.number === submission.sender.cnes;
      return `${submission.kind}:${submission.expectedStatus === 201 ? byOwnSender : !byOwnSender}`;
    });
    expect(outcomes.filter((o) => o.endsWith(':false'))).toEqual([]);
    expect(new Set(outcomes.map((o) => o.split(':')[0]))).toEqual(new Set(['new', 'invalid']));
  });

  it('seeds citizens the hub serves to their signed tokens, and events through the EventStore port', async () => {
    const dataDir = join(root, 'citizens');
    const citizens = await seedCitizens(dataDir, 30, 9);
    expect(new Set(citizens.cpfs).size).toBe(30);
    const tokens = await issueCitizenTokens(dataDir, citizens.cpfs, 3, seededRandom(4));
    // Every token the bench signs reads a card with the seeded vaccinations: a token the hub
    // refused would have the bench time 401s.
    const hub = await startHub(dataDir);
    try {
      for (const token of tokens) {
        const response = await request(`${hub.url}${CARD_PATH}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        const body = (await response.body.json()) as { immunizations?: unknown[] };
        expect([response.statusCode, (body.immunizations?.length ?? 0) > 0]).toEqual([200, true]);
      }
    } finally {
      await hub.stop();
    }

    await seedEvents(join(root, 'events'), 120, 9);
    const engine = openSqliteEventStore({ file: join(root, 'events', 'events.sqlite') });
    expect(await engine.store.headPosition()).toBe(120);
    expect((await engine.store.readAll(0, 1))[0]?.type).toBe('RecordSubmitted');
    await engine.close();
    // The hub started on it neither projects nor rebuilds the seeded events.
    const readModels = openSqliteReadStore({ file: join(root, 'events', 'read-models.sqlite') });
    expect(await readModels.getCheckpoint(PROJECTOR_GROUP)).toBe('120');
    await readModels.close();
  });

  it('drives a server in a child process at fixed concurrency and at a fixed rate', async () => {
    const submissions = prebuiltSubmissions({ seed: 2, citizens: 10, establishments: 2 }, 50);
    const server = await startCeiling();
    try {
      const closed = await closedLoop({
        url: server.url,
        durationMs: 300,
        connections: 4,
        label: 'closed',
        next: submissions.next,
      });
      expect([...closed.byStatus.keys()]).toEqual([201]);
      const open = await openLoop({
        url: server.url,
        durationMs: 300,
        connections: 4,
        rate: 100,
        label: 'open',
        next: submissions.next,
      });
      expect(open.sent).toBe(30);
      expect(open.byStatus.get(201)).toBe(30);
      expect(server.peakRss()).toBeGreaterThan(0);
    } finally {
      await server.stop();
    }
  });

  it('measures the reference work over documents the validator accepts', () => {
    // The reference work throws when a document fails validation: the figure would time the error path.
    const work = measureReferenceWork(7, { documents: 20, rounds: 3 });
    expect(work.fastest).toBeGreaterThan(0);
    expect(work.fastest <= work.microsPerBundle && work.microsPerBundle <= work.slowest).toBe(true);
  });

  it('reads its flags and prints a table', () => {
    expect(parseOptions(['--help'])).toBe('help');
    const options = parseOptions(['--duration', '2', '--citizens', '1000000', '--only', 'ingest,replay']);
    expect(options !== 'help' && [options.durationSeconds, options.citizens, [...options.parts]]).toEqual([
      2,
      1_000_000,
      ['ingest', 'replay'],
    ]);
    expect(() => parseOptions(['--only', 'replay'])).toThrow('needs ingest');
    expect(distribution([3, 1, 2, 4])).toEqual({ count: 4, p50: 2, p99: 4, max: 4 });
    expect(
      formatTable([
        { figure: 'replay events/s', measured: '25,000', target: '≥ 20,000', verdict: 'PASS' },
      ]).split('\n'),
    ).toEqual([
      '| figure          | measured | target   | result |',
      '|-----------------|---------:|----------|--------|',
      '| replay events/s |   25,000 | ≥ 20,000 | PASS   |',
    ]);
  });
});
