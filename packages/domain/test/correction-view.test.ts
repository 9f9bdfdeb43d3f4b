import { describe, expect, it } from 'vitest';
import {
  applyCorrectionEvent,
  linkRecordChange,
  type CorrectionEventEnvelope,
  type CorrectionRequestView,
} from '../src/index.ts';

const event = (version: number, type: string, data: Record<string, unknown>, occurredAt: string) =>
  ({
    version,
    type,
    occurredAt,
    data: { protocol: '2026-000007', ...data },
  }) satisfies CorrectionEventEnvelope;

const requested = event(
  1,
  'CorrectionRequested',
  {
    recordId: 'rec-1',
    recordType: 'RIA',
    establishment: '9990011',
    citizenKey: 'cns:266764941990004',
    message: 'wrong lot',
  },
  '2026-03-02T12:00:00.000Z',
);
const answered = event(
  2,
  'CorrectionAnswered',
  { message: 'fixed', closesAt: '2026-03-05T12:00:00.000Z' },
  '2026-03-02T13:00:00.000Z',
);
const closed = event(3, 'CorrectionClosed', { closedBy: 'deadline' }, '2026-03-05T12:00:00.000Z');

const fold = (...events: CorrectionEventEnvelope[]) =>
  events.reduce<CorrectionRequestView | undefined>(applyCorrectionEvent, undefined);

describe('correction request read model', () => {
  it('follows the request through its life and shows the timeline to both sides', () => {
    const view = fold(requested, answered, closed);
    expect(view).toEqual({
      protocol: '2026-000007',
      recordId: 'rec-1',
      recordType: 'RIA',
      establishment: '9990011',
      citizenKey: 'cns:266764941990004',
      status: 'closed',
      openedAt: '2026-03-02T12:00:00.000Z',
      updatedAt: '2026-03-05T12:00:00.000Z',
      closedAt: '2026-03-05T12:00:00.000Z',
      closedBy: 'deadline',
      linkedRecords: [],
      timeline: [
        { at: '2026-03-02T12:00:00.000Z', by: 'citizen', kind: 'requested', message: 'wrong lot' },
        { at: '2026-03-02T13:00:00.000Z', by: 'establishment', kind: 'answered', message: 'fixed' },
        { at: '2026-03-05T12:00:00.000Z', by: 'system', kind: 'closed' },
      ],
      version: 3,
    });
  });

  it('applying an event twice changes nothing (at-least-once delivery)', () => {
    const once = fold(requested, answered);
    expect(fold(requested, answered, answered, requested)).toEqual(once);
    expect(applyCorrectionEvent(once, answered)).toBe(once);
  });

  it('ignores events of other types', () => {
    const view = fold(requested);
    expect(applyCorrectionEvent(view, { ...answered, type: 'RecordSubmitted' })).toBe(view);
  });

  it('links a replacement of the record once, in the timeline', () => {
    const view = fold(requested, answered) as CorrectionRequestView;
    const change = { recordId: 'rec-2', kind: 'replacement', at: '2026-03-02T12:30:00.000Z' } as const;
    const linked = linkRecordChange(view, change);
    expect(linked.linkedRecords).toEqual([change]);
    expect(linked.timeline.at(-1)).toEqual({
      at: '2026-03-02T12:30:00.000Z',
      by: 'establishment',
      kind: 'record-replaced',
      recordId: 'rec-2',
    });
    expect(linked.updatedAt).toBe(view.updatedAt);
    expect(linkRecordChange(linked, change)).toBe(linked);
  });
});
