import { createDocumentValidator, toOperationOutcome, type RiaSummary } from '@nexo/fhir';
import { describe, expect, it } from 'vitest';
import { loadExample, rdmDocument, riaDocument, riaTranscriptionDocument, setAt } from './fixtures/index.ts';

/**
 * The edges of the bounds the national rules (national-rules.test.ts) break from afar: what is
 * just inside is accepted as sent, what is just outside is refused, lengths count characters as a
 * person does, and the refusal is an issue a client can act on.
 */
const validator = createDocumentValidator();
const NOW = { now: new Date('2025-06-01T12:00:00Z') };
const LOT = 'Bundle.entry[1].resource.lotNumber';

const ria = (edit: (bundle: ReturnType<typeof loadExample>) => void) => {
  const bundle = loadExample('ria-r');
  edit(bundle);
  return validator.validate(bundle, NOW);
};
const errorsOf = (result: ReturnType<typeof validator.validate>) =>
  result.ok ? [] : result.problems.map((p) => [p.code, p.expression]);

describe('Bundle.identifier.value: the sender’s id exactly, at most 256 characters', () => {
  it('accepts 256 characters, counted as code points (256 emoji are 512 UTF-16 units)', () => {
    for (const value of ['x'.repeat(256), '💉'.repeat(256)]) {
      const result = ria((bundle) => setAt(bundle, 'identifier.value', value));
      expect(result.ok && result.document.bundleIdentifier.value).toBe(value);
    }
  });

  it('refuses 257 characters, naming the element with issue type too-long', () => {
    const result = ria((bundle) => setAt(bundle, 'identifier.value', '💉'.repeat(257)));
    expect(errorsOf(result)).toEqual([['NEXO_ERR_VALIDATION_TOO_LONG', 'Bundle.identifier.value']]);
    const outcome = toOperationOutcome(result.ok ? [] : result.problems);
    expect(outcome.issue[0]).toMatchObject({
      severity: 'error',
      code: 'too-long',
      details: { coding: [{ code: 'NEXO_ERR_VALIDATION_TOO_LONG' }] },
      expression: ['Bundle.identifier.value'],
    });
    expect(outcome.issue[0]?.diagnostics).toMatch(/longer than 256 characters/);
  });

  it('keeps white space inside an id: only padding is refused', () => {
    const result = ria((bundle) => setAt(bundle, 'identifier.value', 'UBS 9990011 / RIA 101'));
    expect(result.ok && result.document.bundleIdentifier.value).toBe('UBS 9990011 / RIA 101');
  });
});

describe('Immunization.lotNumber: at most 64 characters, shown on the card as sent', () => {
  it('accepts 64 characters and keeps them unchanged', () => {
    const lot = `${'Ç'.repeat(32)}${'9'.repeat(32)}`;
    const result = validator.validate(riaDocument({ lotNumber: lot }), NOW);
    expect(result.ok && (result.document.summary as RiaSummary).lotNumber).toBe(lot);
  });

  it('refuses 65 characters', () => {
    const result = validator.validate(riaDocument({ lotNumber: 'L'.repeat(65) }), NOW);
    expect(errorsOf(result)).toEqual([['NEXO_ERR_VALIDATION_TOO_LONG', LOT]]);
  });
});

describe('record dates: from 1900-01-01 on', () => {
  it('accepts a dose on 1900-01-01, the earliest day, and an old card transcribed today', () => {
    const first = ria((bundle) => setAt(bundle, 'entry[1].resource.occurrenceDateTime', '1900-01-01'));
    expect(first.ok && (first.document.summary as RiaSummary).occurrence).toBe('1900-01-01');
    const transcribed = validator.validate(
      riaTranscriptionDocument({
        date: '1931-07-15',
        documentDate: '2025-05-30T10:00:00-03:00',
      }),
      NOW,
    );
    expect(errorsOf(transcribed)).toEqual([]);
  });

  it('refuses the day before, whatever the time zone makes of it in UTC', () => {
    // 1899-12-31T23:30-03:00 is 1900-01-01T02:30Z: the date as written is what the card would show.
    const result = ria((bundle) =>
      setAt(bundle, 'entry[1].resource.occurrenceDateTime', '1899-12-31T23:30:00-03:00'),
    );
    expect(errorsOf(result)).toEqual([
      ['NEXO_ERR_VALIDATION_DATE', 'Bundle.entry[1].resource.occurrenceDateTime'],
    ]);
    expect(result.ok ? '' : result.problems[0]?.message).toMatch(/before 1900-01-01/);
  });
});

describe('MedicationDispense amounts: what was handed over is more than nothing', () => {
  const rdm = (edit: (bundle: ReturnType<typeof loadExample>) => void) => {
    const bundle = loadExample('rdm');
    edit(bundle);
    return validator.validate(bundle, NOW);
  };
  const DISPENSE = 'Bundle.entry[1].resource';

  it.each([-30, 0, -1.5])('refuses a quantity of %d, naming quantity.value', (value) => {
    const result = rdm((bundle) => setAt(bundle, 'entry[1].resource.quantity.value', value));
    expect(errorsOf(result)).toEqual([['NEXO_ERR_VALIDATION_PROFILE', `${DISPENSE}.quantity.value`]]);
  });

  it.each([0, -7])('refuses a daysSupply of %d, naming daysSupply.value', (value) => {
    const result = rdm((bundle) => setAt(bundle, 'entry[1].resource.daysSupply.value', value));
    expect(errorsOf(result)).toEqual([['NEXO_ERR_VALIDATION_PROFILE', `${DISPENSE}.daysSupply.value`]]);
  });

  it('accepts a fractional quantity (half a box) as sent', () => {
    const result = rdm((bundle) => setAt(bundle, 'entry[1].resource.quantity.value', 0.5));
    expect(result.ok).toBe(true);
  });

  it('accepts a price of zero (a medicine given free) and refuses a negative one', () => {
    expect(validator.validate(rdmDocument({ price: 0 }), NOW).ok).toBe(true);
    const negative = validator.validate(rdmDocument({ price: -12.5 }), NOW);
    expect(errorsOf(negative).map(([code]) => code)).toEqual(['NEXO_ERR_VALIDATION_PROFILE']);
    expect(errorsOf(negative)[0]?.[1]).toMatch(/valueMoney\.value$/);
  });
});

describe('a value of the wrong JSON type', () => {
  it('is named as such, not described by the form its type would need', () => {
    const bundle = loadExample('ria-r');
    setAt(bundle, 'entry[1].resource.vaccineCode.coding[0].code', 77);
    const result = validator.validate(bundle, NOW);
    expect(result.ok ? [] : result.problems.map((p) => [p.code, p.expression, p.message])).toEqual([
      [
        'NEXO_ERR_VALIDATION_STRUCTURE',
        'Bundle.entry[1].resource.vaccineCode.coding[0].code',
        'Immunization.vaccineCode.coding[0].code must be a JSON string.',
      ],
    ]);
  });
});
