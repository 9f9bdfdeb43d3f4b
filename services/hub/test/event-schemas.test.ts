import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectEventsMatchSchemas } from './event-schema-harness.ts';
import { generateCns, seededRandom } from '@nexo/identifiers';
import { REGISTRY_TOKEN, example, riaBundle, startHub, tempDataDir, type RunningHub } from './hub-harness.ts';

describe('every event the hub writes matches its schema in schemas/events', () => {
  const data = tempDataDir();
  let hub: RunningHub;
  beforeAll(async () => {
    hub = await startHub(data.dir);
  });
  afterAll(async () => {
    await hub.stop();
    data.remove();
  });

  it('record, rejection and identity events all validate', async () => {
    const first = await hub.post('/fhir/r4/Bundle', example('ria-r'));
    await hub.post('/fhir/r4/Bundle', example('ria-r'));
    const id = (first.headers.get('location') ?? '').split('/').at(-1) ?? '';
    const second = await hub.post('/fhir/r4/Bundle', riaBundle({ lot: 'NEW', replaces: id }));
    const secondId = (second.headers.get('location') ?? '').split('/').at(-1) ?? '';
    await hub.post(
      '/fhir/r4/Bundle',
      riaBundle({ lot: 'NEW', replaces: secondId, status: 'entered-in-error' }),
    );
    await hub.post('/fhir/r4/Bundle', { resourceType: 'Bundle' });
    const feed = (path: string, body: unknown) =>
      fetch(`${hub.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${REGISTRY_TOKEN}` },
        body: JSON.stringify(body),
      }).then((r) => r.json() as Promise<{ personId: string }>);
    const cns = (value: string) => ({ system: 'https://saude.gov.br/sid/cns', value });
    const person = await feed('/identity/v1/persons', {
      identifiers: [cns('266764941990004')],
      name: 'Maria',
    });
    await hub.hub.projector.caughtUp();
    await feed(`/identity/v1/persons/${person.personId}/identifiers`, {
      identifiers: [cns(generateCns('provisional', seededRandom(1)))],
    });
    const other = await feed('/identity/v1/persons', { identifiers: [cns('203212962400006')] });
    await hub.hub.projector.caughtUp();
    await feed(`/identity/v1/persons/${person.personId}/merge`, { mergedPersonId: other.personId });
    await hub.hub.projector.caughtUp();
    await feed(`/identity/v1/persons/${person.personId}/unlink`, { identifiers: [cns('203212962400006')] });

    const events = await hub.hub.engines.store.readAll(0, 100);
    expect(events.map((e) => e.type)).toEqual([
      'RecordSubmitted',
      'ResendIgnored',
      'RecordReplaced',
      'RecordCancelled',
      'SubmissionRejected',
      'CitizenIdentified',
      'IdentifiersLinked',
      'CitizenIdentified',
      'CitizensMerged',
      'IdentifiersUnlinked',
    ]);
    expectEventsMatchSchemas(events);
  });
});
