import { describe, expect, it } from 'vitest';
import { generateCns, generateCpf, seededRandom } from '@nexo/identifiers';
import { COLLECTIONS, type CitizenRecords, type RecordEntry } from '@nexo/domain';
import { REGISTRY_TOKEN, SENDER, hubPerSuite, recordIdOf, riaBundle } from './hub-harness.ts';

/**
 * A UBS recorded a dose under the citizen's provisional CNS and later learned the definitive CNS
 * (or the CPF): its retificação names the new identifier. It is accepted when the national registry
 * links both identifiers to one person, and the record stays filed under the original's citizen key.
 */
const random = seededRandom(0x11ed);
const establishment = `dev-establishment-${SENDER}`;
const cnsId = (value: string) => ({ system: 'https://saude.gov.br/sid/cns', value });
const cpfId = (value: string) => ({ system: 'https://saude.gov.br/sid/cpf', value });
const SUBJECT = 'Bundle.entry[0].resource.subject.identifier';
const NOT_LINKED =
  'a replacement must name the same citizen as the original. If both identifiers belong to the same ' +
  'person, the national registry must link them first, then send it again; otherwise cancel the ' +
  'original and send a new document for the right citizen.';

interface Outcome {
  resourceType: string;
  issue: Array<{
    severity: string;
    code: string;
    details: { coding: Array<{ code: string }> };
    diagnostics: string;
    expression: string[];
  }>;
}

describe('a retificação naming another identifier the registry links to the same citizen', () => {
  const running = hubPerSuite();
  const feed = async (path: string, body: unknown) => {
    const response = await fetch(`${running().url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${REGISTRY_TOKEN}` },
      body: JSON.stringify(body),
    });
    expect(response.status, path).toBeLessThan(300);
    return ((await response.json()) as { personId: string }).personId;
  };
  /** The registry's person for these identifiers; the caller sends the document right after. */
  const person = (...identifiers: Array<{ system: string; value: string }>) =>
    feed('/identity/v1/persons', { identifiers });
  const send = async (bundle: Record<string, unknown>) => {
    const response = await running().post('/fhir/r4/Bundle', bundle);
    return { status: response.status, recordId: recordIdOf(response), response };
  };
  const original = async (identifier: string, cns: string, lot: string) => {
    const sent = await send(riaBundle({ identifier, cns, lot }));
    expect(sent.status).toBe(201);
    return sent.recordId;
  };
  const card = async (token: string) => {
    await running().hub.projector.caughtUp();
    const response = await running().get('/citizen/v1/me/immunizations', token);
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      immunizations: Array<{ recordId: string; immunization: { lotNumber?: string } }>;
    };
    return body.immunizations.map((i) => [i.recordId, i.immunization.lotNumber]);
  };
  const readBack = async (recordId: string) => {
    const response = await running().get(`/fhir/r4/Bundle/${recordId}`, establishment);
    expect(response.status).toBe(200);
    return (await response.json()) as {
      id: string;
      meta: { tag: Array<{ code: string }> };
      entry: Array<{ resource: { subject?: { identifier: { value: string } } } }>;
    };
  };
  const readModel = async <T>(collection: string, id: string) => {
    await running().hub.projector.caughtUp();
    return (await running().hub.engines.readStore.get<T>(collection, id))?.body;
  };
  const expectNotLinked = async (response: Response) => {
    expect(response.status).toBe(422);
    const outcome = (await response.json()) as Outcome;
    expect(outcome.issue).toEqual([
      {
        severity: 'error',
        code: 'business-rule',
        details: { coding: [expect.objectContaining({ code: 'NEXO_ERR_BUSINESS_RULE' })] },
        diagnostics: NOT_LINKED,
        expression: [SUBJECT],
      },
    ]);
  };

  it('is accepted when the registry links the provisional and the definitive CNS: one version on the card under either, the document naming the new CNS', async () => {
    const provisional = generateCns('provisional', random);
    const definitive = generateCns('definitive', random);
    const originalId = await original('link-replace-1', provisional, 'LOT-UNDER-PROVISIONAL');
    // The link is made a moment before the replacement: ingest waits for the registry's view.
    await person(cnsId(provisional), cnsId(definitive));
    const replaced = await send(
      riaBundle({
        identifier: 'link-replace-1',
        cns: definitive,
        lot: 'LOT-CORRECTED',
        replaces: originalId,
      }),
    );
    expect(replaced.status).toBe(201);
    expect(replaced.recordId).not.toBe(originalId);

    const onlyTheNewVersion = [[replaced.recordId, 'LOT-CORRECTED']];
    expect(await card(`dev-citizen-cns-${provisional}`)).toEqual(onlyTheNewVersion);
    expect(await card(`dev-citizen-cns-${definitive}`)).toEqual(onlyTheNewVersion);

    const location = replaced.response.headers.get('location') ?? '';
    const current = await running().get(new URL(location).pathname, establishment);
    expect(current.status).toBe(200);
    const document = (await current.json()) as Awaited<ReturnType<typeof readBack>>;
    expect(document.id).toBe(replaced.recordId);
    expect(document.entry[0]?.resource.subject?.identifier.value).toBe(definitive);
    expect(document.meta.tag.at(-1)?.code).toBe('current');
    expect((await readBack(originalId)).meta.tag.at(-1)?.code).toBe('replaced');

    // Filed under the original's key, so the bus orders it after the original.
    expect((await readModel<RecordEntry>(COLLECTIONS.records, replaced.recordId))?.citizenKey).toBe(
      `cns:${provisional}`,
    );
    expect(await readModel<CitizenRecords>(COLLECTIONS.citizenRecords, `cns:${definitive}`)).toBeUndefined();
  });

  it('a later replacement is compared with the original’s identifier, and resends still answer the same record', async () => {
    const provisional = generateCns('provisional', random);
    const definitive = generateCns('definitive', random);
    const originalId = await original('link-replace-2', provisional, 'LOT-A');
    await person(cnsId(provisional), cnsId(definitive));
    const first = riaBundle({
      identifier: 'link-replace-2',
      cns: definitive,
      lot: 'LOT-B',
      replaces: originalId,
    });
    const second = await send(first);
    expect(second.status).toBe(201);
    const resent = await send(first);
    expect([resent.status, resent.recordId]).toEqual([201, second.recordId]);

    const again = await send(
      riaBundle({ identifier: 'link-replace-2', cns: definitive, lot: 'LOT-C', replaces: second.recordId }),
    );
    expect(again.status).toBe(201);
    const back = await send(
      riaBundle({ identifier: 'link-replace-2', cns: provisional, lot: 'LOT-D', replaces: again.recordId }),
    );
    expect(back.status).toBe(201);
    expect(await card(`dev-citizen-cns-${definitive}`)).toEqual([[back.recordId, 'LOT-D']]);
  });

  it('is refused 422 at the subject when the registry does not link the identifiers, saying the registry must link them first', async () => {
    const provisional = generateCns('provisional', random);
    const definitive = generateCns('definitive', random);
    const originalId = await original('link-replace-3', provisional, 'LOT-KEPT');
    await expectNotLinked(
      (
        await send(
          riaBundle({ identifier: 'link-replace-3', cns: definitive, lot: 'LOT-NEW', replaces: originalId }),
        )
      ).response,
    );
    expect(await card(`dev-citizen-cns-${provisional}`)).toEqual([[originalId, 'LOT-KEPT']]);
  });

  it('is refused 422 when the registry holds the two identifiers as two persons', async () => {
    const provisional = generateCns('provisional', random);
    const definitive = generateCns('definitive', random);
    await person(cnsId(provisional));
    await person(cnsId(definitive));
    const originalId = await original('link-replace-4', provisional, 'LOT-KEPT');
    await expectNotLinked(
      (
        await send(
          riaBundle({ identifier: 'link-replace-4', cns: definitive, lot: 'LOT-NEW', replaces: originalId }),
        )
      ).response,
    );
    expect(await card(`dev-citizen-cns-${definitive}`)).toEqual([]);
    expect(await card(`dev-citizen-cns-${provisional}`)).toEqual([[originalId, 'LOT-KEPT']]);
  });

  it('is accepted once the registry merges the two persons', async () => {
    const provisional = generateCns('provisional', random);
    const definitive = generateCns('definitive', random);
    const merged = await person(cnsId(provisional));
    const survivor = await person(cnsId(definitive));
    const originalId = await original('link-replace-5', provisional, 'LOT-A');
    await feed(`/identity/v1/persons/${survivor}/merge`, { mergedPersonId: merged });
    const replaced = await send(
      riaBundle({ identifier: 'link-replace-5', cns: definitive, lot: 'LOT-B', replaces: originalId }),
    );
    expect(replaced.status).toBe(201);
    expect(await card(`dev-citizen-cns-${provisional}`)).toEqual([[replaced.recordId, 'LOT-B']]);
  });

  it('a cancellation naming a CPF the registry links to the record’s CNS is accepted and the record leaves the card', async () => {
    const provisional = generateCns('provisional', random);
    const cpf = generateCpf(random);
    const originalId = await original('link-cancel-1', provisional, 'LOT-CANCEL');
    await person(cnsId(provisional), cpfId(cpf));
    expect(await card(`dev-citizen-cpf-${cpf}`)).toEqual([[originalId, 'LOT-CANCEL']]);
    const bundle = riaBundle({
      identifier: 'link-cancel-1',
      lot: 'LOT-CANCEL',
      replaces: originalId,
      status: 'entered-in-error',
    }) as { entry: Array<{ resource: Record<string, { identifier: Record<string, string> }> }> };
    for (const [index, element] of [
      [0, 'subject'],
      [1, 'patient'],
    ] as const) {
      bundle.entry[index]!.resource[element]!.identifier = cpfId(cpf);
    }
    const cancelled = await send(bundle);
    expect(cancelled.status).toBe(201);
    expect(await card(`dev-citizen-cpf-${cpf}`)).toEqual([]);
    expect(await card(`dev-citizen-cns-${provisional}`)).toEqual([]);
    expect((await readBack(originalId)).meta.tag.at(-1)?.code).toBe('cancelled');
  });

  it('an open correction request about the original stays attached to the record after the replacement', async () => {
    const provisional = generateCns('provisional', random);
    const definitive = generateCns('definitive', random);
    const citizen = `dev-citizen-cns-${definitive}`;
    const originalId = await original('link-request-1', provisional, 'LOT-WRONG');
    await person(cnsId(provisional), cnsId(definitive));
    const opened = await running().post(
      '/citizen/v1/me/correction-requests',
      { recordId: originalId, message: 'The lot on my card is wrong.' },
      citizen,
      'application/json',
    );
    expect(opened.status).toBe(201);
    const { protocol } = (await opened.json()) as { protocol: string };

    const replaced = await send(
      riaBundle({ identifier: 'link-request-1', cns: definitive, lot: 'LOT-RIGHT', replaces: originalId }),
    );
    expect(replaced.status).toBe(201);
    await running().hub.projector.caughtUp();
    for (const [path, token] of [
      [`/citizen/v1/me/correction-requests/${protocol}`, citizen],
      [`/citizen/v1/me/correction-requests/${protocol}`, `dev-citizen-cns-${provisional}`],
      [`/establishment/v1/correction-requests/${protocol}`, establishment],
    ] as const) {
      const view = await running().get(path, token);
      expect(view.status, token).toBe(200);
      expect(await view.json(), token).toMatchObject({
        protocol,
        recordId: originalId,
        status: 'open',
        linkedRecords: [{ recordId: replaced.recordId, kind: 'replacement' }],
        timeline: [
          { by: 'citizen', kind: 'requested' },
          { by: 'establishment', kind: 'record-replaced', recordId: replaced.recordId },
        ],
      });
    }
  });
});
