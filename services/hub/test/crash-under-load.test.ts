/**
 * The hub as `pnpm start` runs it, killed (SIGKILL, no shutdown) while submissions are in flight.
 * A 201 is sent only once the append is durable, so every record the hub acknowledged before the
 * kill is there after a restart: readable, on the citizen's card once, and its resend answered with
 * the same record. The documents whose answers the kill cut off are sent again, as a sender's
 * software would: each becomes one record, never two.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  CITIZEN_CNS,
  SENDER,
  citizenToken,
  riaBundle,
  startHub,
  tempDataDir,
  type RunningHub,
} from './hub-harness.ts';
import { spawnHub } from './hub-process.ts';

const DOCUMENTS = 120;
/** The kill comes once this many 201s are in: submissions are still arriving and committing. */
const KILL_AFTER = 25;
const IN_FLIGHT = 8;

const documents = Array.from({ length: DOCUMENTS }, (_, i) =>
  JSON.stringify(riaBundle({ identifier: `crash-under-load-${i}`, cns: CITIZEN_CNS })),
);
const submit = (url: string, body: string) =>
  fetch(`${url}/fhir/r4/Bundle`, {
    method: 'POST',
    headers: { 'content-type': 'application/fhir+json', authorization: `Bearer dev-establishment-${SENDER}` },
    body,
  });
const recordIdOf = (location: string | null): string => (location ?? '').split('/').at(-1) ?? '';

describe('a hub killed while submissions are in flight', () => {
  const cleanup: Array<() => unknown> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('keeps every record it acknowledged, and each document sent again is one record', async () => {
    const data = tempDataDir();
    cleanup.push(data.remove);
    // Started once in-process first: over a folder that is not empty, `pnpm start` loads no demo.
    await (await startHub(data.dir)).stop();
    const killed = spawnHub(data.dir);
    cleanup.push(() => killed.child.kill('SIGKILL'));
    const url = await killed.listening();

    // Acknowledged record id by document, as the sender saw the answers before the kill. The
    // documents go out IN_FLIGHT at a time, each as soon as one is answered, so the kill lands
    // among submissions being received, validated and committed.
    const acknowledged = new Map<number, string>();
    let cut = 0;
    let next = 0;
    const sender = async (): Promise<void> => {
      while (next < DOCUMENTS && !killed.child.killed) {
        const i = next++;
        try {
          const response = await submit(url, documents[i]!);
          expect(response.status).toBe(201);
          acknowledged.set(i, recordIdOf(response.headers.get('location')));
          if (acknowledged.size === KILL_AFTER) killed.child.kill('SIGKILL');
        } catch (error) {
          if (!(error instanceof TypeError)) throw error; // fetch's "fetch failed": the connection died
          cut++;
        }
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, sender));
    await killed.exited;
    expect(acknowledged.size).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(cut).toBeGreaterThan(0);

    const hub: RunningHub = await startHub(data.dir);
    cleanup.push(() => hub.stop());
    for (const recordId of acknowledged.values())
      expect((await hub.get(`/fhir/r4/Bundle/${recordId}`, `dev-establishment-${SENDER}`)).status).toBe(200);

    // The sender sends every document again: the acknowledged ones are resends of their record.
    const again = await Promise.all(
      documents.map(async (body) => {
        const response = await submit(hub.url, body);
        expect(response.status).toBe(201);
        return recordIdOf(response.headers.get('location'));
      }),
    );
    for (const [i, recordId] of acknowledged) expect(again[i]).toBe(recordId);

    await hub.hub.projector.caughtUp();
    const submitted = (await hub.hub.engines.store.readAll(0, 100_000)).filter(
      (event) => event.type === 'RecordSubmitted',
    );
    const card = (await (await hub.get('/citizen/v1/me/immunizations', citizenToken())).json()) as {
      immunizations: Array<{ recordId: string }>;
    };
    const onCard = card.immunizations.map((entry) => entry.recordId);
    expect({ submitted: submitted.length, onCard: onCard.length, distinct: new Set(onCard).size }).toEqual({
      submitted: DOCUMENTS,
      onCard: DOCUMENTS,
      distinct: DOCUMENTS,
    });
    expect(new Set(onCard)).toEqual(new Set(again));
  });
});
