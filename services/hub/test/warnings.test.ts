import { describe, expect, it } from 'vitest';
import type { OutcomeIssue } from '@nexo/testkit';
import { SENDER, citizenToken, example, recordIdOf, riaBundle, hubPerSuite } from './hub-harness.ts';

const LAB = 'dev-establishment-9990022';
const NEXO_CODES = 'https://nexo.saude.example/fhir/CodeSystem/nexo-error';

type Issue = OutcomeIssue;
const issuesOf = async (response: Response): Promise<Issue[]> =>
  ((await response.json()) as { resourceType: string; issue: Issue[] }).issue;

describe('warnings: one shape in every answer, and a resend of a superseded record says so', () => {
  const hub = hubPerSuite();

  it('Observation.effectiveDateTime: POST and $validate answer the same warning issue, with its Nexo code', async () => {
    const rel = example('rel-qualitativo') as { entry: Array<{ resource: Record<string, unknown> }> };
    rel.entry[1]!.resource.effectiveDateTime = '2025-02-10';

    const validated = await hub().post('/fhir/r4/Bundle/$validate', rel, LAB);
    const posted = await hub().post('/fhir/r4/Bundle', rel, LAB);
    expect([validated.status, posted.status]).toEqual([200, 201]);
    const [validateIssues, postIssues] = [await issuesOf(validated), await issuesOf(posted)];

    const warning = {
      severity: 'warning',
      code: 'processing',
      details: {
        coding: [
          {
            system: NEXO_CODES,
            code: 'NEXO_ERR_VALIDATION_PROFILE',
            display: 'the document breaks its profile',
          },
        ],
      },
      diagnostics: expect.stringMatching(/^Observation\.effectiveDateTime: .*forbids effective\[x\]/),
      expression: ['Bundle.entry[1].resource.effectiveDateTime'],
    };
    expect(postIssues).toEqual([
      {
        severity: 'information',
        code: 'informational',
        diagnostics: `accepted: RecordSubmitted ${recordIdOf(posted)}`,
      },
      warning,
    ]);
    expect(validateIssues).toEqual([expect.objectContaining({ severity: 'information' }), warning]);
    expect(validateIssues[1]).toEqual(postIssues[1]);

    // A resend of it repeats the document's warning, in the same shape.
    const resent = await hub().post('/fhir/r4/Bundle', rel, LAB);
    expect(resent.status).toBe(201);
    expect((await issuesOf(resent)).slice(1)).toEqual([warning]);
  });

  it('ria-r replaced, then cancelled, then resent: the same 201 and Location, a warning, nothing appended', async () => {
    const original = await hub().post('/fhir/r4/Bundle', example('ria-r'));
    expect(original.status).toBe(201);
    const originalId = recordIdOf(original);
    const replaced = await hub().post('/fhir/r4/Bundle', riaBundle({ lot: 'RIGHT', replaces: originalId }));
    expect(replaced.status).toBe(201);
    const replacementId = recordIdOf(replaced);

    const afterReplacement = await hub().post('/fhir/r4/Bundle', example('ria-r'));
    expect(afterReplacement.status).toBe(201);
    expect(afterReplacement.headers.get('location')).toBe(original.headers.get('location'));
    expect(await issuesOf(afterReplacement)).toEqual([
      {
        severity: 'information',
        code: 'informational',
        diagnostics: `resend of record ${originalId}: nothing changed`,
      },
      {
        severity: 'warning',
        code: 'informational',
        details: {
          coding: [
            {
              system: NEXO_CODES,
              code: 'NEXO_WARN_RECORD_NOT_CURRENT',
              display: 'the resent record is no longer current',
            },
          ],
        },
        diagnostics:
          `this document is a resend of record ${originalId}, which is no longer current: it was replaced by ` +
          `record ${replacementId}, the current version. Nothing was changed; if this content should be ` +
          `current again, send it as a replacement of record ${replacementId}.`,
        expression: ['Bundle.identifier'],
      },
    ]);

    const cancelled = await hub().post(
      '/fhir/r4/Bundle',
      riaBundle({ lot: 'RIGHT', replaces: replacementId, status: 'entered-in-error' }),
    );
    expect(cancelled.status).toBe(201);
    const cancellationId = recordIdOf(cancelled);

    const resent = await hub().post('/api/fhir/r4/Bundle', example('ria-r'));
    expect(resent.status).toBe(201);
    expect(resent.headers.get('location')).toBe(`${hub().url}/api/fhir/r4/Bundle/${originalId}`);
    const issues = await issuesOf(resent);
    expect(issues.map((i) => [i.severity, i.details?.coding?.[0]?.code])).toEqual([
      ['information', undefined],
      ['warning', 'NEXO_WARN_RECORD_NOT_CURRENT'],
    ]);
    expect(issues[1]?.diagnostics).toBe(
      `this document is a resend of record ${originalId}, which is no longer current: it was replaced by ` +
        `record ${replacementId}, and the record was then cancelled by record ${cancellationId}. Nothing ` +
        'was changed; if this content should be recorded again, send it under a new Bundle.identifier.',
    );

    // Nothing came back to the citizen, and the sender's list holds the three versions once each.
    await hub().hub.projector.caughtUp();
    const card = (await (await hub().get('/citizen/v1/me/immunizations', citizenToken())).json()) as {
      immunizations: unknown[];
    };
    expect(card.immunizations).toEqual([]);
    const listed = (await (
      await hub().get('/establishment/v1/submissions', `dev-establishment-${SENDER}`)
    ).json()) as { submissions: Array<{ recordId: string; status: string }> };
    expect(listed.submissions.map((s) => [s.recordId, s.status]).sort()).toEqual(
      [
        [originalId, 'replaced'],
        [replacementId, 'cancelled'],
        [cancellationId, 'cancelled'],
      ].sort(),
    );
  });

  it('a resend of the current version carries no warning', async () => {
    const bundle = riaBundle({ identifier: 'still-current', lot: 'LIVE' });
    const first = await hub().post('/fhir/r4/Bundle', bundle);
    const again = await hub().post('/fhir/r4/Bundle', bundle);
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(recordIdOf(again)).toBe(recordIdOf(first));
    expect(await issuesOf(again)).toEqual([
      {
        severity: 'information',
        code: 'informational',
        diagnostics: `resend of record ${recordIdOf(first)}: nothing changed`,
      },
    ]);
  });
});
