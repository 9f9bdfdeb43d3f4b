import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { openSqliteReadStore } from '@nexo/readstore';
import { COLLECTIONS, type CitizenRecords } from '@nexo/domain';
import { rebuildReadModels } from '@nexo/projector';
import {
  CITIZEN_CNS,
  citizenToken,
  recordIdOf,
  riaBundle,
  startHub,
  tempDataDir,
  type RunningHub,
} from './hub-harness.ts';

type Command =
  | { kind: 'submit'; doc: number; lot: string }
  | { kind: 'replace'; doc: number; lot: string }
  | { kind: 'replaceStale'; doc: number; lot: string }
  | { kind: 'cancel'; doc: number }
  | { kind: 'resend'; doc: number };

const lot = fc.constantFrom('A', 'B', 'C');
const doc = fc.integer({ min: 0, max: 2 });
const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ kind: fc.constant('submit' as const), doc, lot }),
  fc.record({ kind: fc.constant('replace' as const), doc, lot }),
  fc.record({ kind: fc.constant('replaceStale' as const), doc, lot }),
  fc.record({ kind: fc.constant('cancel' as const), doc }),
  fc.record({ kind: fc.constant('resend' as const), doc }),
);

/** The model: what each document identifier should show after the commands. */
interface ModelDoc {
  ids: string[];
  currentId?: string;
  currentLot?: string;
  cancelled: boolean;
  lastBody?: Record<string, unknown>;
}

describe('random submit/replace/cancel/resend: live read model == rebuilt read model == model', () => {
  const data = tempDataDir();
  let hub: RunningHub;
  let run = 0;
  beforeAll(async () => {
    hub = await startHub(data.dir);
  });
  afterAll(async () => {
    await hub.stop();
    data.remove();
  });

  it('holds for every sequence', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 14 }), async (commands) => {
        run++;
        const cns = CITIZEN_CNS;
        const model = new Map<number, ModelDoc>();
        for (const c of commands) {
          const identifier = `prop-${run}-${c.doc}`;
          const state = model.get(c.doc) ?? { ids: [], cancelled: false };
          model.set(c.doc, state);
          if (c.kind === 'submit') {
            const body = riaBundle({ identifier, lot: c.lot, cns });
            const response = await hub.post('/fhir/r4/Bundle', body);
            if (state.ids.length === 0) {
              expect(response.status).toBe(201);
              Object.assign(state, {
                ids: [recordIdOf(response)],
                currentId: recordIdOf(response),
                currentLot: c.lot,
                lastBody: body,
              });
            } else {
              // same content as an accepted version is a resend; anything else a conflict
              expect([201, 422]).toContain(response.status);
            }
          } else if (c.kind === 'resend' && state.lastBody) {
            const response = await hub.post('/fhir/r4/Bundle', state.lastBody);
            expect(response.status).toBe(201);
            expect(recordIdOf(response)).toBe(state.currentId);
          } else if ((c.kind === 'replace' || c.kind === 'cancel') && state.currentId && !state.cancelled) {
            const replacing = c.kind === 'replace';
            const body = riaBundle({
              identifier,
              cns,
              lot: replacing ? `${c.lot}${state.ids.length}` : (state.currentLot ?? 'A'),
              replaces: state.currentId,
              ...(replacing ? {} : { status: 'entered-in-error' }),
            });
            const response = await hub.post('/fhir/r4/Bundle', body);
            expect(response.status).toBe(201);
            const id = recordIdOf(response);
            state.ids.push(id);
            state.currentId = id;
            state.lastBody = body;
            if (replacing) state.currentLot = `${c.lot}${state.ids.length - 1}`;
            else state.cancelled = true;
          } else if (c.kind === 'replaceStale' && state.ids.length > 1) {
            const response = await hub.post(
              '/fhir/r4/Bundle',
              riaBundle({ identifier, cns, lot: 'STALE', replaces: state.ids[0] }),
            );
            expect(response.status).toBe(422);
          }
        }
        await hub.hub.projector.caughtUp();
        const expected = [...model.entries()]
          .filter(([, s]) => s.currentId && !s.cancelled)
          .map(([, s]) => [s.currentId, s.currentLot])
          .sort();
        const live = (await (await hub.get('/citizen/v1/me/immunizations', citizenToken(cns))).json()) as {
          immunizations: Array<{ recordId: string; immunization: { lotNumber: string } }>;
        };
        const ours = live.immunizations
          .filter((i) => model.size > 0 && [...model.values()].some((s) => s.ids.includes(i.recordId)))
          .map((i) => [i.recordId, i.immunization.lotNumber])
          .sort();
        expect(ours).toEqual(expected);
      }),
      { numRuns: 12 },
    );

    const rebuilt = openSqliteReadStore({ file: join(data.dir, 'rebuilt.sqlite') });
    await rebuildReadModels(hub.hub.engines.store, rebuilt);
    const key = `cns:${CITIZEN_CNS}`;
    const liveDoc = await hub.hub.engines.readStore.get<CitizenRecords>(COLLECTIONS.citizenRecords, key);
    const rebuiltDoc = await rebuilt.get<CitizenRecords>(COLLECTIONS.citizenRecords, key);
    expect(rebuiltDoc?.body).toEqual(liveDoc?.body);
    const recordIds = Object.keys(liveDoc?.body.records ?? {});
    expect(recordIds.length).toBeGreaterThan(0);
    const liveRecords = await hub.hub.engines.readStore.getMany(COLLECTIONS.records, recordIds);
    const rebuiltRecords = await rebuilt.getMany(COLLECTIONS.records, recordIds);
    expect(rebuiltRecords.map((d) => d.body)).toEqual(liveRecords.map((d) => d.body));
    await rebuilt.close();
  });
});
