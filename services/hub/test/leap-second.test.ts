import { describe, expect, it } from 'vitest';
import { citizenToken, hubPerSuite, recordIdOf, riaBundle } from './hub-harness.ts';

/** The example RIA under another identifier, given at `occurrence`. */
const doseAt = (identifier: string, occurrence: string) => {
  const bundle = riaBundle({ identifier }) as { entry: Array<{ resource: Record<string, unknown> }> };
  bundle.entry[1]!.resource.occurrenceDateTime = occurrence;
  return bundle;
};

// FHIR's dateTime allows a leap second (`:60`) and ingest accepts it; `Date.parse` reads it as NaN,
// which once left the record out of order on the card and stopped the timeline's pages at it.
describe('a dose recorded at a leap second (…T23:59:60-03:00)', () => {
  const running = hubPerSuite();
  const OCCURRENCES = [
    '2025-03-12T09:30:00-03:00',
    '2025-03-11T23:59:60-03:00',
    '2025-03-11T08:00:00-03:00',
    '2025-03-10',
  ];

  it('is ordered on the card by its instant, and the timeline pages through every record', async () => {
    const ids: string[] = [];
    for (const [i, occurrence] of [...OCCURRENCES].reverse().entries()) {
      const response = await running().post('/fhir/r4/Bundle', doseAt(`leap-${i}`, occurrence));
      expect(response.status).toBe(201);
      ids.unshift(recordIdOf(response));
    }
    await running().hub.projector.caughtUp();

    const card = (await (await running().get('/citizen/v1/me/immunizations', citizenToken())).json()) as {
      immunizations: Array<{ recordId: string; immunization: { occurrence: string } }>;
    };
    expect(card.immunizations.map((e) => [e.recordId, e.immunization.occurrence])).toEqual(
      OCCURRENCES.map((occurrence, i) => [ids[i], occurrence]),
    );

    const pages: Array<{ status: number; occurredAt: string[] }> = [];
    let cursor: string | undefined;
    do {
      const response = await running().get(
        `/citizen/v1/me/timeline?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        citizenToken(),
      );
      const page = (await response.json()) as { entries?: Array<{ occurredAt: string }>; next?: string };
      pages.push({ status: response.status, occurredAt: (page.entries ?? []).map((e) => e.occurredAt) });
      cursor = page.next;
    } while (cursor && pages.length < 10);
    expect(pages).toEqual(OCCURRENCES.map((occurrence) => ({ status: 200, occurredAt: [occurrence] })));
  });
});
