import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CITIZEN_CNS,
  aboutCitizen,
  citizenToken,
  example,
  recordIdOf,
  startHub,
  tempDataDir,
  type RunningHub,
} from './hub-harness.ts';

const LAB = 'dev-establishment-9990022';
const PHARMACY = 'dev-establishment-9990033';
const REL_CNS = '998396937874850';
const RDM_CPF = '93273918454';

describe('lab results and dispensations end to end', () => {
  const data = tempDataDir();
  let hub: RunningHub;
  beforeAll(async () => {
    hub = await startHub(data.dir);
  });
  afterAll(async () => {
    await hub.stop();
    data.remove();
  });

  it('a laboratory’s REL result reaches the citizen, naming the laboratory', async () => {
    const response = await hub.post('/fhir/r4/Bundle', example('rel-qualitativo'), LAB);
    expect(response.status).toBe(201);
    await hub.hub.projector.caughtUp();
    const body = (await (await hub.get('/citizen/v1/me/lab-results', citizenToken(REL_CNS))).json()) as {
      labResults: Array<{
        recordId: string;
        laboratory: string;
        exam: { results: Array<{ exam: { code: string }; value: { kind: string } }> };
      }>;
    };
    expect(body.labResults).toHaveLength(1);
    expect(body.labResults[0]).toMatchObject({ recordId: recordIdOf(response), laboratory: '9990022' });
    expect(body.labResults[0]?.exam.results[0]?.value.kind).toBe('qualitative');
  });

  it('a pharmacy’s RDM dispensation reaches the citizen identified by CPF', async () => {
    const response = await hub.post('/fhir/r4/Bundle', example('rdm'), PHARMACY);
    expect(response.status).toBe(201);
    await hub.hub.projector.caughtUp();
    const body = (await (
      await hub.get('/citizen/v1/me/dispensations', `dev-citizen-cpf-${RDM_CPF}`)
    ).json()) as {
      dispensations: Array<{
        recordId: string;
        pharmacy: string;
        dispensation: { dispensations: Array<{ medication: { code: string }; quantity: { value: number } }> };
      }>;
    };
    expect(body.dispensations).toHaveLength(1);
    expect(body.dispensations[0]).toMatchObject({ recordId: recordIdOf(response), pharmacy: '9990033' });
    expect(body.dispensations[0]?.dispensation.dispensations[0]).toMatchObject({
      medication: { code: 'BR0267778' },
      quantity: { value: 30 },
    });
  });

  it('the timeline mixes all three record types of one citizen, newest first, paged by cursor', async () => {
    const vaccine = await hub.post('/fhir/r4/Bundle', example('ria-r'));
    const exam = await hub.post(
      '/fhir/r4/Bundle',
      aboutCitizen(example('rel-qualitativo'), REL_CNS, CITIZEN_CNS, 'rel-timeline'),
      LAB,
    );
    const medicine = await hub.post(
      '/fhir/r4/Bundle',
      aboutCitizen(example('rdm'), RDM_CPF, CITIZEN_CNS, 'rdm-timeline'),
      PHARMACY,
    );
    expect([vaccine.status, exam.status, medicine.status]).toEqual([201, 201, 201]);
    await hub.hub.projector.caughtUp();

    const first = (await (await hub.get('/citizen/v1/me/timeline?limit=2', citizenToken())).json()) as {
      entries: Array<{ recordId: string; recordType: string; occurredAt: string }>;
      next?: string;
    };
    expect(first.entries).toHaveLength(2);
    expect(first.next).toBeDefined();
    const second = (await (
      await hub.get(`/citizen/v1/me/timeline?limit=2&cursor=${first.next ?? ''}`, citizenToken())
    ).json()) as {
      entries: Array<{ recordId: string; recordType: string; occurredAt: string }>;
      next?: string;
    };
    expect(second.next).toBeUndefined();
    const all = [...first.entries, ...second.entries];
    expect(all.map((e) => e.recordType).sort()).toEqual(['RDM', 'REL', 'RIA']);
    expect(new Set(all.map((e) => e.recordId))).toEqual(new Set([vaccine, exam, medicine].map(recordIdOf)));
    const instants = all.map((e) => Date.parse(e.occurredAt));
    expect(instants).toEqual([...instants].sort((a, b) => b - a));

    const bad = await hub.get('/citizen/v1/me/timeline?cursor=nonsense', citizenToken());
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { issue: Array<{ expression: string[] }> }).issue[0]?.expression).toEqual([
      'cursor',
    ]);
  });
});
