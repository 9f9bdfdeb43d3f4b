import { describe, expect, it } from 'vitest';
import type { OutcomeIssue } from '@nexo/testkit';
import { citizenToken, example, hubPerSuite, recordIdOf, riaBundle } from './hub-harness.ts';

type Issue = OutcomeIssue;

/** Status, then each issue as [severity, issue type, Nexo code, expression]. */
const answerOf = async (response: Response) => ({
  status: response.status,
  type: response.headers.get('content-type'),
  issues: ((await response.json()) as { issue: Issue[] }).issue.map((i) => [
    i.severity,
    i.code,
    i.details?.coding?.[0]?.code,
    i.expression?.[0],
  ]),
});
const refused = (status: number, code: string, issueType: string, expression: string) => ({
  status,
  type: 'application/fhir+json; charset=utf-8',
  issues: [['error', issueType, code, expression]],
});

const withOccurrence = (date: string, identifier: string) => {
  const bundle = riaBundle({ identifier }) as { entry: Array<{ resource: Record<string, unknown> }> };
  bundle.entry[1]!.resource.occurrenceDateTime = date;
  return bundle;
};

/**
 * What an exploratory tester got accepted over HTTP: a blank or 100,000-character
 * Bundle.identifier.value, a 500,000-character lot number, a dose given in year 1, a $validate
 * Parameters body with two resources. Each is refused naming the element, and nothing reaches the
 * citizen's card.
 */
describe('bounds on what a submission names and the card shows, over HTTP', () => {
  const hub = hubPerSuite();
  const card = async () =>
    (
      (await (await hub().get('/citizen/v1/me/immunizations', citizenToken())).json()) as {
        immunizations: Array<{ recordId: string; immunization: { lotNumber?: string } }>;
      }
    ).immunizations;

  it('POST Bundle: a blank, padded or 100,000-character identifier value is a 422 naming it', async () => {
    const value = 'Bundle.identifier.value';
    expect(await answerOf(await hub().post('/fhir/r4/Bundle', riaBundle({ identifier: '   ' })))).toEqual(
      refused(422, 'NEXO_ERR_VALIDATION_REQUIRED', 'required', value),
    );
    expect(
      await answerOf(await hub().post('/fhir/r4/Bundle', riaBundle({ identifier: ' UBS-RIA-1 ' }))),
    ).toEqual(refused(422, 'NEXO_ERR_VALIDATION_IDENTIFIER', 'value', value));
    expect(
      await answerOf(await hub().post('/fhir/r4/Bundle', riaBundle({ identifier: 'x'.repeat(100_000) }))),
    ).toEqual(refused(422, 'NEXO_ERR_VALIDATION_TOO_LONG', 'too-long', value));
  });

  it('POST Bundle: a 500,000-character lot number is a 422, and the card stays empty', async () => {
    const bundle = riaBundle({ identifier: 'bounds-lot', lot: 'L'.repeat(500_000) });
    expect(await answerOf(await hub().post('/fhir/r4/Bundle', bundle))).toEqual(
      refused(422, 'NEXO_ERR_VALIDATION_TOO_LONG', 'too-long', 'Bundle.entry[1].resource.lotNumber'),
    );
    await hub().hub.projector.caughtUp();
    expect(await card()).toEqual([]);
  });

  it('POST Bundle: a vaccination dated 0001-01-01 or 1800-01-01 is a 422 at occurrenceDateTime', async () => {
    for (const date of ['0001-01-01', '1800-01-01']) {
      const response = await hub().post('/fhir/r4/Bundle', withOccurrence(date, `bounds-${date}`));
      expect(await answerOf(response)).toEqual(
        refused(422, 'NEXO_ERR_VALIDATION_DATE', 'value', 'Bundle.entry[1].resource.occurrenceDateTime'),
      );
    }
  });

  it('$validate: a Parameters body with two resources is a 422 naming the second', async () => {
    const response = await hub().post('/fhir/r4/Bundle/$validate', {
      resourceType: 'Parameters',
      parameter: [
        { name: 'resource', resource: example('ria-r') },
        { name: 'resource', resource: withOccurrence('1800-01-01', 'bounds-second') },
      ],
    });
    expect(await answerOf(response)).toEqual(
      refused(422, 'NEXO_ERR_VALIDATION_PROFILE', 'processing', 'Parameters.parameter[1]'),
    );
  });

  it('at the bounds a document is accepted as sent: a 256-character id, a 64-character lot, 1900-01-01', async () => {
    const identifier = `UBS9990011-${'9'.repeat(245)}`;
    const lot = 'LOTE-'.padEnd(64, '7');
    const bundle = riaBundle({ identifier, lot }) as { entry: Array<{ resource: Record<string, unknown> }> };
    bundle.entry[1]!.resource.occurrenceDateTime = '1900-01-01';
    const posted = await hub().post('/fhir/r4/Bundle', bundle);
    expect(posted.status).toBe(201);
    // The identifier names the submission: the same document again is the same record.
    const resent = await hub().post('/fhir/r4/Bundle', bundle);
    expect([resent.status, recordIdOf(resent)]).toEqual([201, recordIdOf(posted)]);
    await hub().hub.projector.caughtUp();
    expect(await card()).toMatchObject([{ recordId: recordIdOf(posted), immunization: { lotNumber: lot } }]);
  });

  it('POST Bundle: 20,000 unknown elements are one answer of 101 issues, and the rejection list stays readable', async () => {
    const bundle = riaBundle({ identifier: 'bounds-many' }) as {
      entry: Array<{ resource: Record<string, unknown> }>;
    };
    for (let n = 0; n < 20_000; n++) bundle.entry[1]!.resource[`x${n}`] = 1;
    const response = await hub().post('/fhir/r4/Bundle', bundle);
    const { issues } = await answerOf(response);
    expect(response.status).toBe(422);
    expect(issues).toHaveLength(101);
    expect(issues[0]).toEqual([
      'error',
      'structure',
      'NEXO_ERR_VALIDATION_STRUCTURE',
      'Bundle.entry[1].resource.x0',
    ]);
    expect(issues.at(-1)).toEqual(['error', 'too-costly', 'NEXO_ERR_TOO_MANY_PROBLEMS', undefined]);
    const rejections = await hub().get('/establishment/v1/rejections', 'dev-establishment-9990011');
    expect(rejections.status).toBe(200);
    const listed = (await rejections.json()) as { rejections: Array<{ outcome: { issue: unknown[] } }> };
    expect(listed.rejections.map((r) => r.outcome.issue.length)).toContain(101);
  });

  it.each(['submissions', 'rejections'])(
    'GET /establishment/v1/%s: a limit out of 1–100 or not an integer is a 400 naming it, as on every list',
    async (list) => {
      for (const limit of ['0', '-1', 'abc', '101', '1.5', '1e1', '']) {
        const response = await hub().get(
          `/establishment/v1/${list}?limit=${encodeURIComponent(limit)}`,
          'dev-establishment-9990011',
        );
        expect(response.status, limit).toBe(400);
        const { issues } = await answerOf(response);
        expect(issues, limit).toEqual([['error', 'structure', 'NEXO_ERR_UNPARSABLE', 'limit']]);
      }
      expect(
        (await hub().get(`/establishment/v1/${list}?limit=100`, 'dev-establishment-9990011')).status,
      ).toBe(200);
    },
  );
});
