import { describe, expect, it } from 'vitest';
import { earliestInstant, isFhirDate, type FhirDateKind } from '../src/fhir-dates.ts';
import { pointerToFhirPath } from '../src/fhirpath.ts';

describe('FHIR dates', () => {
  const cases: ReadonlyArray<[string, Readonly<Record<FhirDateKind, boolean>>]> = [
    ['2025-03-10T09:42:00-03:00', { instant: true, dateTime: true, dayOrDateTime: true, date: false }],
    ['2025-03-10T09:42:00.123Z', { instant: true, dateTime: true, dayOrDateTime: true, date: false }],
    ['2025-03-10', { instant: false, dateTime: true, dayOrDateTime: true, date: true }],
    ['2025-03', { instant: false, dateTime: true, dayOrDateTime: false, date: true }],
    ['2025', { instant: false, dateTime: true, dayOrDateTime: false, date: true }],
    ['2025-03-10T09:42:00', { instant: false, dateTime: false, dayOrDateTime: false, date: false }],
    ['2025-03-10T09:42-03:00', { instant: false, dateTime: false, dayOrDateTime: false, date: false }],
    ['2025-02-29', { instant: false, dateTime: false, dayOrDateTime: false, date: false }],
    ['2024-02-29', { instant: false, dateTime: true, dayOrDateTime: true, date: true }],
    ['2025-13-01', { instant: false, dateTime: false, dayOrDateTime: false, date: false }],
    ['2025-03-10T24:00:00Z', { instant: false, dateTime: false, dayOrDateTime: false, date: false }],
    ['2025-03-10T09:42:00+15:00', { instant: false, dateTime: false, dayOrDateTime: false, date: false }],
    ['0000-01-01', { instant: false, dateTime: false, dayOrDateTime: false, date: false }],
    ['10/03/2025', { instant: false, dateTime: false, dayOrDateTime: false, date: false }],
  ];
  it.each(cases)('%s', (value, expected) => {
    for (const kind of ['instant', 'dateTime', 'dayOrDateTime', 'date'] as const)
      expect([kind, isFhirDate(value, kind)]).toEqual([kind, expected[kind]]);
  });

  it('takes a time at its offset and a date at its first moment anywhere (UTC+14)', () => {
    expect(earliestInstant('2025-03-10T09:42:00-03:00', 'instant')).toBe(Date.parse('2025-03-10T12:42:00Z'));
    expect(earliestInstant('2025-03-10', 'date')).toBe(Date.parse('2025-03-09T10:00:00Z'));
    expect(earliestInstant('2016-12-31T23:59:60Z', 'instant')).toBe(Date.parse('2016-12-31T23:59:59.999Z'));
  });
});

describe('FHIRPath from a JSON pointer', () => {
  it.each([
    ['', 'Bundle'],
    ['/entry/1/resource/occurrenceDateTime', 'Bundle.entry[1].resource.occurrenceDateTime'],
    ['/a~1b/c~0d', 'Bundle.a/b.c~d'],
  ])('%j', (pointer, path) => {
    expect(pointerToFhirPath('Bundle', pointer)).toBe(path);
  });
});
