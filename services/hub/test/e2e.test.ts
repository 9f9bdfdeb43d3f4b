import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CITIZEN_CNS,
  citizenToken,
  example,
  recordIdOf,
  riaBundle,
  startHub,
  tempDataDir,
  type RunningHub,
} from './hub-harness.ts';

describe('hub end to end over HTTP (embedded engines)', () => {
  const data = tempDataDir();
  const logLines: string[] = [];
  let hub: RunningHub;
  let recordId = '';

  beforeAll(async () => {
    hub = await startHub(data.dir, { bodyLimit: 64 * 1024, logLines });
  });
  afterAll(async () => {
    await hub.stop();
    data.remove();
  });

  it('accepts the national RIA example unchanged: 201 with Location and Content-Location naming the record', async () => {
    const response = await hub.post('/fhir/r4/Bundle', example('ria-r'));
    expect(response.status).toBe(201);
    recordId = recordIdOf(response);
    expect(recordId).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('location')).toBe(`${hub.url}/fhir/r4/Bundle/${recordId}`);
    expect(response.headers.get('content-location')).toBe(response.headers.get('location'));
    expect(response.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
    const body = await response.json();
    expect(body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'information' }] });
  });

  it('answers a resend with the same record id, under the national path too', async () => {
    const again = await hub.post('/api/fhir/r4/Bundle', example('ria-r'));
    expect(again.status).toBe(201);
    expect(recordIdOf(again)).toBe(recordId);
    expect(again.headers.get('location')).toBe(`${hub.url}/api/fhir/r4/Bundle/${recordId}`);
  });

  it('shows the record once on the citizen card', async () => {
    await hub.hub.projector.caughtUp();
    const response = await hub.get('/citizen/v1/me/immunizations', citizenToken());
    expect(response.status).toBe(200);
    const card = (await response.json()) as {
      immunizations: Array<{
        recordId: string;
        establishment: string;
        immunization: { vaccine: { code: string }; lotNumber: string };
      }>;
    };
    expect(card.immunizations).toHaveLength(1);
    expect(card.immunizations[0]).toMatchObject({
      recordId,
      establishment: '9990011',
      immunization: { vaccine: { code: '77' }, lotNumber: 'INF25B031' },
    });
  });

  it('rejects invalid documents with 422 naming the element, and records nothing for the citizen', async () => {
    const future = riaBundle({ identifier: 'future-1' }) as {
      entry: Array<{ resource: Record<string, unknown> }>;
    };
    future.entry[1]!.resource.occurrenceDateTime = '2999-01-01T10:00:00-03:00';
    const response = await hub.post('/fhir/r4/Bundle', future);
    expect(response.status).toBe(422);
    const outcome = (await response.json()) as {
      resourceType: string;
      issue: Array<{ expression?: string[]; details?: { coding?: Array<{ code: string }> } }>;
    };
    expect(outcome.resourceType).toBe('OperationOutcome');
    expect(outcome.issue.map((i) => i.expression?.[0])).toContain(
      'Bundle.entry[1].resource.occurrenceDateTime',
    );

    const badCitizen = await hub.post(
      '/fhir/r4/Bundle',
      riaBundle({ identifier: 'bad-cns', cns: '266764941990005' }),
    );
    expect(badCitizen.status).toBe(422);
    const badOutcome = (await badCitizen.json()) as {
      issue: Array<{ expression?: string[]; diagnostics?: string }>;
    };
    expect(
      badOutcome.issue.some((i) =>
        i.expression?.[0]?.startsWith('Bundle.entry[0].resource.subject.identifier'),
      ),
    ).toBe(true);
    expect(JSON.stringify(badOutcome)).not.toContain('266764941990005');

    await hub.hub.projector.caughtUp();
    const card = (await (await hub.get('/citizen/v1/me/immunizations', citizenToken())).json()) as {
      immunizations: unknown[];
    };
    expect(card.immunizations).toHaveLength(1);
  });

  it('lists the rejections to their sender, newest first', async () => {
    await hub.hub.projector.caughtUp();
    const response = await hub.get('/establishment/v1/rejections', 'dev-establishment-9990011');
    const body = (await response.json()) as {
      rejections: Array<{ status: number; bundleIdentifier?: { value: string } }>;
    };
    expect(body.rejections.map((r) => [r.status, r.bundleIdentifier?.value])).toEqual([
      [422, 'bad-cns'],
      [422, 'future-1'],
    ]);
  });

  it.each([
    ['unparsable JSON', '{"resourceType":', 'application/fhir+json', 400, 'NEXO_ERR_UNPARSABLE'],
    ['a content type that is not JSON', '<Bundle/>', 'application/fhir+xml', 415, 'NEXO_ERR_MEDIA_TYPE'],
    [
      'a body over the size limit',
      JSON.stringify({ resourceType: 'Bundle', pad: 'x'.repeat(70 * 1024) }),
      'application/fhir+json',
      413,
      'NEXO_ERR_TOO_LARGE',
    ],
  ])('answers %s with an OperationOutcome %i', async (_name, body, contentType, status, code) => {
    const response = await hub.post('/fhir/r4/Bundle', body, undefined, contentType);
    expect(response.status).toBe(status);
    const outcome = (await response.json()) as {
      resourceType: string;
      issue: Array<{ details: { coding: Array<{ code: string }> } }>;
    };
    expect(outcome.resourceType).toBe('OperationOutcome');
    expect(outcome.issue[0]?.details.coding[0]?.code).toBe(code);
  });

  it('refuses a post without a sender token (401) and a citizen read without a citizen token (401)', async () => {
    const post = await hub.post('/fhir/r4/Bundle', example('ria-r'), '');
    expect(post.status).toBe(401);
    expect(((await post.json()) as { issue: Array<{ code: string }> }).issue[0]?.code).toBe('security');
    const read = await hub.get('/citizen/v1/me/immunizations', 'dev-establishment-9990011');
    expect(read.status).toBe(401);
  });

  it('keeps everything across a restart: the card, the resend answer, the rejections', async () => {
    await hub.hub.projector.caughtUp();
    await hub.stop();
    hub = await startHub(data.dir, { logLines });
    const card = (await (
      await hub.get('/citizen/v1/me/immunizations', citizenToken(CITIZEN_CNS))
    ).json()) as { immunizations: Array<{ recordId: string }> };
    expect(card.immunizations.map((i) => i.recordId)).toEqual([recordId]);
    const again = await hub.post('/fhir/r4/Bundle', example('ria-r'));
    expect(recordIdOf(again)).toBe(recordId);
    await hub.hub.projector.caughtUp();
    const after = (await (await hub.get('/citizen/v1/me/immunizations', citizenToken())).json()) as {
      immunizations: unknown[];
    };
    expect(after.immunizations).toHaveLength(1);
  });

  it('never writes a CNS, a CPF or a bundle body into the logs', () => {
    const text = logLines.join('\n');
    expect(logLines.length).toBeGreaterThan(10);
    expect(text).not.toContain(CITIZEN_CNS);
    expect(text).not.toContain('INF25B031');
  });
});
