import { describe, expect, it } from 'vitest';
import {
  applyToCitizenRecords,
  decodeCursor,
  emptyCitizenRecords,
  timelinePage,
  vaccinationCard,
  type AnyDomainEvent,
  type CitizenRecords,
} from '../src/index.ts';
import { riaDocument } from './documents.ts';

const KEY = 'cns:266764941990004';
let position = 0;

const recordEvent = (
  type: 'RecordSubmitted' | 'RecordReplaced' | 'RecordCancelled',
  stream: string,
  version: number,
  data: Record<string, unknown>,
): AnyDomainEvent =>
  ({
    id: `evt-${++position}`,
    stream,
    version,
    position,
    type,
    schemaVersion: 1,
    occurredAt: '2025-03-10T12:00:00Z',
    recordedAt: '2025-03-10T12:00:01Z',
    sender: '9990011',
    citizenKey: KEY,
    correlationId: 'c',
    data: {
      ...data,
      contentHash: `h-${position}`,
      document: {},
      bundleIdentifier: { system: 's', value: stream },
    },
  }) as unknown as AnyDomainEvent;

const submitted = (stream: string, recordId: string, occurrence: string) =>
  recordEvent('RecordSubmitted', stream, 1, { recordId, summary: { ...riaDocument().summary, occurrence } });

const fold = (events: AnyDomainEvent[], view: CitizenRecords = emptyCitizenRecords(KEY)) =>
  events.reduce(applyToCitizenRecords, view);

describe('citizen records projection', () => {
  it('applying the same event twice changes nothing', () => {
    const event = submitted('s1', 'rec-1', '2025-01-01T10:00:00Z');
    const once = fold([event]);
    expect(fold([event, event])).toEqual(once);
    expect(applyToCitizenRecords(once, event)).toBe(once);
  });

  it('a replacement shows only the new version', () => {
    const view = fold([
      submitted('s1', 'rec-1', '2025-01-01T10:00:00Z'),
      recordEvent('RecordReplaced', 's1', 2, {
        recordId: 'rec-2',
        replaces: 'rec-1',
        summary: { ...riaDocument().summary, lotNumber: 'FIXED' },
      }),
    ]);
    expect(vaccinationCard(view).map((e) => [e.recordId, e.immunization.lotNumber])).toEqual([
      ['rec-2', 'FIXED'],
    ]);
  });

  it('a cancellation removes the record from the card', () => {
    const view = fold([
      submitted('s1', 'rec-1', '2025-01-01T10:00:00Z'),
      submitted('s2', 'rec-9', '2025-02-01T10:00:00Z'),
      recordEvent('RecordCancelled', 's1', 2, { recordId: 'rec-3', cancels: 'rec-1' }),
    ]);
    expect(vaccinationCard(view).map((e) => e.recordId)).toEqual(['rec-9']);
  });

  it('an event older than the stream version already applied is ignored (redelivery after a later one)', () => {
    const first = submitted('s1', 'rec-1', '2025-01-01T10:00:00Z');
    const replaced = recordEvent('RecordReplaced', 's1', 2, {
      recordId: 'rec-2',
      replaces: 'rec-1',
      summary: riaDocument().summary,
    });
    expect(fold([first, replaced, first])).toEqual(fold([first, replaced]));
  });

  it('the timeline pages newest first and every record appears exactly once across pages', () => {
    const events = Array.from({ length: 25 }, (_, i) =>
      submitted(
        `s${i}`,
        `rec-${String(i).padStart(2, '0')}`,
        `2025-01-${String((i % 20) + 1).padStart(2, '0')}T10:00:00Z`,
      ),
    );
    const view = fold(events);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const decoded = cursor ? decodeCursor(cursor) : undefined;
      const page = timelinePage(view, { limit: 7, ...(decoded ? { cursor: decoded } : {}) });
      seen.push(...page.entries.map((e) => e.recordId));
      cursor = page.next;
      pages++;
    } while (cursor);
    expect(pages).toBe(4);
    expect(new Set(seen).size).toBe(25);
    const dates = seen.map((id) => Date.parse(view.records[id]?.occurredAt ?? ''));
    expect(dates).toEqual([...dates].sort((a, b) => b - a));
  });

  it('a cursor that this API did not issue is refused', () => {
    expect(decodeCursor('not-a-cursor')).toBeUndefined();
    expect(decodeCursor(Buffer.from('["x","y"]').toString('base64url'))).toBeUndefined();
  });
});
