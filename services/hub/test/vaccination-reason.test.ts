import { describe, expect, it } from 'vitest';
import { riaBundle, type OutcomeIssue } from '@nexo/testkit';
import { SENDER, citizenToken, especialDose, hubPerSuite, recordIdOf } from './hub-harness.ts';

const CS = 'http://www.saude.gov.br/fhir/r4/CodeSystem/';

describe('RIA-R with its reason: Immunization.reasonReference → a BRCID10Avaliado-1.0 Condition', () => {
  const running = hubPerSuite();

  it('is accepted, read back with its Condition, and the card shows the reason', async () => {
    const posted = riaBundle(especialDose('reason-1'));
    const response = await running().post('/fhir/r4/Bundle', posted);
    expect(response.status).toBe(201);
    const id = recordIdOf(response);
    await running().hub.projector.caughtUp();

    const stored = (await (
      await running().get(`/fhir/r4/Bundle/${id}`, `dev-establishment-${SENDER}`)
    ).json()) as {
      entry: unknown[];
    };
    expect(stored.entry).toEqual(posted.entry);

    const card = (await (await running().get('/citizen/v1/me/immunizations', citizenToken())).json()) as {
      immunizations: Array<{ recordId: string; immunization: Record<string, unknown> }>;
    };
    expect(card.immunizations).toHaveLength(1);
    expect(card.immunizations[0]?.recordId).toBe(id);
    expect(card.immunizations[0]?.immunization).toMatchObject({
      strategy: { system: `${CS}BREstrategiaVacinacao`, code: '2', display: 'Especial' },
      reason: {
        condition: { system: `${CS}BRCID10`, code: 'J45', display: 'Asma' },
        category: { system: `${CS}BRCategoriaDiagnostico`, code: '01', display: 'Principal' },
        clinicalStatus: {
          system: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
          code: 'active',
          display: 'Ativo',
        },
      },
    });
  });

  it('is described in the OpenAPI answer of the card, the CID-10 condition required', async () => {
    type Schema = { properties: Record<string, Schema>; required?: string[]; items: Schema };
    const spec = (await (await fetch(`${running().url}/docs/json`)).json()) as {
      paths: Record<string, { get: { responses: { 200: { content: Record<string, { schema: Schema }> } } } }>;
    };
    const answer = spec.paths['/citizen/v1/me/immunizations']!.get.responses[200].content;
    const immunization =
      Object.values(answer)[0]!.schema.properties.immunizations!.items.properties.immunization!;
    const reason = immunization.properties.reason!;
    expect(Object.keys(reason.properties)).toEqual([
      'condition',
      'category',
      'clinicalStatus',
      'onset',
      'note',
    ]);
    expect(reason.required).toEqual(['condition']);
  });

  it('is refused when the reason does not resolve inside the document, naming the reference', async () => {
    const posted = riaBundle(especialDose('reason-2'));
    const immunization = posted.entry[1]?.resource as { reasonReference: Array<{ reference: string }> };
    immunization.reasonReference = [{ reference: 'urn:uuid:elsewhere' }];
    const response = await running().post('/fhir/r4/Bundle', posted);
    expect(response.status).toBe(422);
    const outcome = (await response.json()) as { resourceType: string; issue: OutcomeIssue[] };
    expect(outcome.resourceType).toBe('OperationOutcome');
    expect(outcome.issue.map((i) => [i.severity, i.details?.coding?.[0]?.code, i.expression])).toEqual([
      ['error', 'NEXO_ERR_VALIDATION_REFERENCE', ['Bundle.entry[1].resource.reasonReference[0].reference']],
      ['error', 'NEXO_ERR_VALIDATION_REFERENCE', ['Bundle.entry[2]']],
    ]);
  });

  it('is refused when the Condition is about another citizen, naming its subject', async () => {
    const posted = riaBundle(especialDose('reason-3'));
    const condition = posted.entry[2]?.resource as { subject: { identifier: { value: string } } };
    condition.subject.identifier.value = '700000000000005';
    const response = await running().post('/fhir/r4/Bundle', posted);
    expect(response.status).toBe(422);
    const outcome = (await response.json()) as { issue: OutcomeIssue[] };
    expect(outcome.issue.map((i) => [i.details?.coding?.[0]?.code, i.expression])).toEqual([
      ['NEXO_ERR_BUSINESS_RULE', ['Bundle.entry[2].resource.subject.identifier.value']],
    ]);
  });
});
