import { describe, expect, it } from 'vitest';
import { CITIZEN_CNS, SENDER, citizenToken, hubPerSuite, recordIdOf, riaBundle } from './hub-harness.ts';

/**
 * No individual data leaves without its audit entry: once the audit log cannot be written (here
 * closed under the running hub), a read that would hand out a citizen's data answers 503 instead,
 * while a refusal, which hands out nothing, still goes out as it was.
 */
describe('a hub whose audit trail cannot be written', () => {
  const hub = hubPerSuite();

  it('answers 503 for individual data and keeps its refusals', async () => {
    const sent = await hub().post(
      '/fhir/r4/Bundle',
      riaBundle({ identifier: 'unwritable-1', cns: CITIZEN_CNS }),
    );
    expect(sent.status).toBe(201);
    await hub().hub.projector.caughtUp();
    const sender = `dev-establishment-${SENDER}`;
    expect((await hub().get('/citizen/v1/me/immunizations', citizenToken())).status).toBe(200);

    await hub().hub.security.trail.log.close();
    const answers: Array<[string, number, string | undefined]> = [];
    for (const [path, token] of [
      ['/citizen/v1/me/immunizations', citizenToken()],
      [`/fhir/r4/Bundle/${recordIdOf(sent)}`, sender],
      ['/fhir/r4/Bundle/no-such-record', sender],
      ['/citizen/v1/me/immunizations', 'not-a-token'],
    ] as const) {
      const response = await hub().get(path, token);
      const body = (await response.json()) as {
        resourceType?: string;
        issue?: Array<{ details?: { coding?: Array<{ code?: string }> } }>;
      };
      answers.push([path, response.status, body.issue?.[0]?.details?.coding?.[0]?.code]);
    }
    expect(answers).toEqual([
      ['/citizen/v1/me/immunizations', 503, 'NEXO_ERR_UNAVAILABLE'],
      [`/fhir/r4/Bundle/${recordIdOf(sent)}`, 503, 'NEXO_ERR_UNAVAILABLE'],
      ['/fhir/r4/Bundle/no-such-record', 404, 'NEXO_ERR_NOT_FOUND'],
      ['/citizen/v1/me/immunizations', 401, 'NEXO_ERR_UNAUTHENTICATED'],
    ]);
  });
});
