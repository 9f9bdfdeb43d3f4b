import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCns, generateCpf, seededRandom } from '@nexo/identifiers';
import { openSqliteReadStore } from '@nexo/readstore';
import { rebuildReadModels } from '@nexo/projector';
import { COLLECTIONS, IDENTITY_STREAM } from '@nexo/domain';
import { partitionKey } from '@nexo/eventstore';
import {
  REGISTRY_TOKEN,
  recordIdOf,
  riaBundle,
  startHub,
  tempDataDir,
  type RunningHub,
} from './hub-harness.ts';

const BR_INDIVIDUO = 'http://www.saude.gov.br/fhir/r4/StructureDefinition/BRIndividuo-1.0';
const random = seededRandom(6);
const cnsId = (value: string) => ({ system: 'https://saude.gov.br/sid/cns', value });
const cpfId = (value: string) => ({ system: 'https://saude.gov.br/sid/cpf', value });

describe('citizen identity: links, merges, late identification', () => {
  const data = tempDataDir();
  let hub: RunningHub;
  const feed = (path: string, body: unknown, token = REGISTRY_TOKEN) =>
    fetch(`${hub.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
  const cardOf = async (token: string) => {
    await hub.hub.projector.caughtUp();
    const body = (await (await hub.get('/citizen/v1/me/immunizations', token)).json()) as {
      immunizations: Array<{ recordId: string }>;
    };
    return body.immunizations.map((i) => i.recordId).sort();
  };
  const submitFor = async (cns: string, identifier: string) => {
    const response = await hub.post('/fhir/r4/Bundle', riaBundle({ identifier, cns }));
    expect(response.status).toBe(201);
    return recordIdOf(response);
  };

  beforeAll(async () => {
    hub = await startHub(data.dir);
  });
  afterAll(async () => {
    await hub.stop();
    data.remove();
  });

  it('records sent under two provisional CNS join one card once the registry links them to a definitive CNS', async () => {
    const provisionalA = generateCns('provisional', random);
    const provisionalB = generateCns('provisional', random);
    const definitive = generateCns('definitive', random);
    const cpf = generateCpf(random);
    const first = await submitFor(provisionalA, 'late-1');
    const second = await submitFor(provisionalB, 'late-2');
    expect(await cardOf(`dev-citizen-cns-${definitive}`)).toEqual([]);

    const identified = await feed('/identity/v1/persons', {
      identifiers: [cnsId(definitive), cpfId(cpf), { system: BR_INDIVIDUO, value: provisionalA }],
      name: 'Maria da Silva',
      motherName: 'Ana da Silva',
      birthDate: '1980-02-03',
      sex: 'female',
      birthPlace: 'Recife',
      address: 'Rua A, 1',
    });
    expect(identified.status).toBe(201);
    const { personId } = (await identified.json()) as { personId: string };
    const linked = await feed(`/identity/v1/persons/${personId}/identifiers`, {
      identifiers: [cnsId(provisionalB)],
    });
    expect(linked.status).toBe(200);

    const all = [first, second].sort();
    expect(await cardOf(`dev-citizen-cns-${definitive}`)).toEqual(all);
    expect(await cardOf(`dev-citizen-cns-${provisionalB}`)).toEqual(all);
    // a citizen authenticated by CPF reaches records sent under their CNS numbers
    expect(await cardOf(`dev-citizen-cpf-${cpf}`)).toEqual(all);

    const me = (await (await hub.get('/citizen/v1/me', `dev-citizen-cpf-${cpf}`)).json()) as {
      cns: string;
      cpf: string;
      demographics: Record<string, string>;
    };
    expect(me.cns).toBe(definitive);
    expect(me.cpf).toBe(cpf);
    expect(me.demographics).toEqual({
      name: 'Maria da Silva',
      motherName: 'Ana da Silva',
      birthDate: '1980-02-03',
      sex: 'female',
      birthPlace: 'Recife',
    });
  });

  it('refuses a link of an identifier that names another person (409) and changes nothing', async () => {
    const cnsOne = generateCns('definitive', random);
    const cnsTwo = generateCns('definitive', random);
    const one = (await (await feed('/identity/v1/persons', { identifiers: [cnsId(cnsOne)] })).json()) as {
      personId: string;
    };
    const two = (await (await feed('/identity/v1/persons', { identifiers: [cnsId(cnsTwo)] })).json()) as {
      personId: string;
    };
    const recordOfOne = await submitFor(cnsOne, 'conflict-1');
    const conflict = await feed(`/identity/v1/persons/${two.personId}/identifiers`, {
      identifiers: [cnsId(cnsOne)],
    });
    expect(conflict.status).toBe(409);
    const outcome = (await conflict.json()) as {
      issue: Array<{ details: { coding: Array<{ code: string }> }; expression: string[] }>;
    };
    expect(outcome.issue[0]?.details.coding[0]?.code).toBe('NEXO_ERR_IDENTITY_CONFLICT');
    expect(outcome.issue[0]?.expression).toEqual(['identifiers[0]']);
    expect(await cardOf(`dev-citizen-cns-${cnsTwo}`)).toEqual([]);
    expect(await cardOf(`dev-citizen-cns-${cnsOne}`)).toEqual([recordOfOne]);
    expect(one.personId).not.toBe(two.personId);
  });

  it('a merge shows both persons’ records under one card with no duplicate, and replaying the log gives the same state', async () => {
    const survivorCns = generateCns('definitive', random);
    const mergedCns = generateCns('provisional', random);
    const survivor = (await (
      await feed('/identity/v1/persons', { identifiers: [cnsId(survivorCns)] })
    ).json()) as { personId: string };
    const merged = (await (
      await feed('/identity/v1/persons', { identifiers: [cnsId(mergedCns)] })
    ).json()) as { personId: string };
    const records = [
      await submitFor(survivorCns, 'merge-1'),
      await submitFor(mergedCns, 'merge-2'),
      await submitFor(mergedCns, 'merge-3'),
    ];
    const response = await feed(`/identity/v1/persons/${survivor.personId}/merge`, {
      mergedPersonId: merged.personId,
    });
    expect(response.status).toBe(200);
    expect(await cardOf(`dev-citizen-cns-${mergedCns}`)).toEqual([...records].sort());
    expect(await cardOf(`dev-citizen-cns-${survivorCns}`)).toEqual([...records].sort());
    const again = await feed(`/identity/v1/persons/${survivor.personId}/merge`, {
      mergedPersonId: merged.personId,
    });
    expect(((await again.json()) as { changed: boolean }).changed).toBe(false);

    const rebuilt = openSqliteReadStore({ file: join(data.dir, 'identity-rebuilt.sqlite') });
    await rebuildReadModels(hub.hub.engines.store, rebuilt);
    for (const id of [survivor.personId, merged.personId]) {
      expect((await rebuilt.get(COLLECTIONS.persons, id))?.body).toEqual(
        (await hub.hub.engines.readStore.get(COLLECTIONS.persons, id))?.body,
      );
    }
    for (const key of [`cns:${survivorCns}`, `cns:${mergedCns}`]) {
      expect((await rebuilt.get(COLLECTIONS.identityLinks, key))?.body).toEqual(
        (await hub.hub.engines.readStore.get(COLLECTIONS.identityLinks, key))?.body,
      );
    }
    await rebuilt.close();
  });

  it('a person merged from two that each had a definitive CNS still takes a provisional CNS and a new name, and their records', async () => {
    const first = generateCns('definitive', random);
    const second = generateCns('definitive', random);
    const later = generateCns('provisional', random);
    const personOf = async (cns: string) =>
      (
        (await (await feed('/identity/v1/persons', { identifiers: [cnsId(cns)] })).json()) as {
          personId: string;
        }
      ).personId;
    const [survivor, merged] = [await personOf(first), await personOf(second)];
    expect((await feed(`/identity/v1/persons/${survivor}/merge`, { mergedPersonId: merged })).status).toBe(
      200,
    );

    const linked = await feed(`/identity/v1/persons/${survivor}/identifiers`, {
      identifiers: [cnsId(later)],
    });
    expect(linked.status).toBe(200);
    const renamed = await feed('/identity/v1/persons', { identifiers: [cnsId(first)], name: 'Maria Nova' });
    expect(renamed.status).toBe(200);
    const record = await submitFor(later, 'after-merge-1');
    expect(await cardOf(`dev-citizen-cns-${second}`)).toEqual([record]);
    const otherCpf = await feed(`/identity/v1/persons/${survivor}/identifiers`, {
      identifiers: [cpfId(generateCpf(random)), cpfId(generateCpf(random))],
    });
    expect(otherCpf.status).toBe(409);
  });

  it('only the registry may use the feed, and bad identifiers are named', async () => {
    const denied = await feed(
      '/identity/v1/persons',
      { identifiers: [cnsId(generateCns('definitive', random))] },
      'dev-establishment-9990011',
    );
    expect(denied.status).toBe(401);
    // The registry's secret without the Bearer scheme is no bearer token, as on every other route.
    const schemeless = await fetch(`${hub.url}/identity/v1/persons`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: REGISTRY_TOKEN },
      body: JSON.stringify({ identifiers: [cnsId(generateCns('definitive', random))] }),
    });
    expect(schemeless.status).toBe(401);
    const bad = await feed('/identity/v1/persons', { identifiers: [cnsId('123')] });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { issue: Array<{ expression: string[] }> }).issue[0]?.expression).toEqual([
      'identifiers[0]',
    ]);
    const unknownField = await feed('/identity/v1/persons', {
      identifiers: [cnsId(generateCns('definitive', random))],
      religion: 'x',
    });
    expect(unknownField.status).toBe(422);
    const created = await feed('/identity/v1/persons', {
      identifiers: [cnsId(generateCns('definitive', random))],
    });
    const { personId } = (await created.json()) as { personId: string };
    for (const [path, body] of [
      ['identifiers', { identifiers: [cnsId(generateCns('provisional', random))], religion: 'x' }],
      ['unlink', { identifiers: [cnsId(generateCns('provisional', random))], religion: 'x' }],
      ['merge', { mergedPersonId: personId, religion: 'x' }],
    ] as const) {
      const answer = await feed(`/identity/v1/persons/${personId}/${path}`, body);
      const issue = ((await answer.json()) as { issue: Array<{ expression: string[] }> }).issue[0];
      expect([answer.status, issue?.expression], path).toEqual([422, ['religion']]);
    }
  });

  it('refuses demographics that cannot be true, naming the field and what is wrong with it', async () => {
    const person = (extra: Record<string, unknown>) =>
      feed('/identity/v1/persons', { identifiers: [cnsId(generateCns('definitive', random))], ...extra });
    for (const [extra, field, code] of [
      [{ birthDate: '1970-13-45' }, 'birthDate', 'NEXO_ERR_VALIDATION_DATE'],
      [{ birthDate: '2999-01-01' }, 'birthDate', 'NEXO_ERR_VALIDATION_DATE'],
      [{ birthDate: 'yesterday' }, 'birthDate', 'NEXO_ERR_VALIDATION_DATE'],
      [{ sex: 'M' }, 'sex', 'NEXO_ERR_VALIDATION_CODE'],
      [{ name: 5 }, 'name', 'NEXO_ERR_VALIDATION_STRUCTURE'],
      [{ religion: 'x' }, 'religion', 'NEXO_ERR_VALIDATION_STRUCTURE'],
    ] as const) {
      const answer = await person(extra);
      expect(answer.status, field).toBe(422);
      const issue = (
        (await answer.json()) as {
          issue: Array<{ expression: string[]; details: { coding: Array<{ code: string }> } }>;
        }
      ).issue[0];
      expect([issue?.expression, issue?.details.coding[0]?.code], JSON.stringify(extra)).toEqual([
        [field],
        code,
      ]);
    }
    expect((await person({ birthDate: '2024-02-29', sex: 'female' })).status).toBe(201);
  });

  it('keeps every registry event under one partition key, so the distributed bus keeps their order', async () => {
    for (const identifiers of [
      [cnsId(generateCns('definitive', random))],
      [cpfId(generateCpf(random)), cnsId(generateCns('provisional', random))],
    ]) {
      const answer = await feed('/identity/v1/persons', { identifiers });
      expect(answer.status).toBe(201);
      const { personId } = (await answer.json()) as { personId: string };
      const linked = await feed(`/identity/v1/persons/${personId}/identifiers`, {
        identifiers: [cnsId(generateCns('provisional', random))],
      });
      expect(linked.status).toBe(200);
    }
    const events = await hub.hub.engines.store.readStream(IDENTITY_STREAM);
    expect(events.length).toBeGreaterThanOrEqual(4);
    expect(new Set(events.map(partitionKey))).toEqual(new Set([partitionKey(events[0]!)]));
  });

  it('settles a burst of registry writes one by one, none refused busy while the deadline allows', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        feed('/identity/v1/persons', { identifiers: [cnsId(generateCns('definitive', random))] }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 201));
  });

  it('a link made by mistake is undone: each holder sees only their own records again, live and rebuilt', async () => {
    const ana = generateCns('definitive', random);
    const someoneElse = generateCns('provisional', random);
    const anasRecord = await submitFor(ana, 'unlink-ana');
    const theirRecord = await submitFor(someoneElse, 'unlink-other');
    const created = await feed('/identity/v1/persons', { identifiers: [cnsId(ana)], name: 'Ana Souza' });
    const { personId } = (await created.json()) as { personId: string };
    const linked = await feed(`/identity/v1/persons/${personId}/identifiers`, {
      identifiers: [cnsId(someoneElse)],
    });
    expect(linked.status).toBe(200);
    // The mistake: each holder reads the other's record.
    expect(await cardOf(`dev-citizen-cns-${someoneElse}`)).toEqual([anasRecord, theirRecord].sort());

    const undone = await feed(`/identity/v1/persons/${personId}/unlink`, {
      identifiers: [cnsId(someoneElse)],
    });
    expect([undone.status, await undone.json()]).toEqual([200, { personId, changed: true }]);
    expect(await cardOf(`dev-citizen-cns-${someoneElse}`)).toEqual([theirRecord]);
    expect(await cardOf(`dev-citizen-cns-${ana}`)).toEqual([anasRecord]);
    const me = await (await hub.get('/citizen/v1/me', `dev-citizen-cns-${someoneElse}`)).text();
    expect(me).not.toContain('Ana Souza');
    expect(me).not.toContain(ana);
    const again = await feed(`/identity/v1/persons/${personId}/unlink`, {
      identifiers: [cnsId(someoneElse)],
    });
    expect(await again.json()).toEqual({ personId, changed: false });
    // The number is free again: the registry identifies its holder.
    const theirs = await feed('/identity/v1/persons', {
      identifiers: [cnsId(generateCns('definitive', random)), cnsId(someoneElse)],
    });
    expect(theirs.status).toBe(201);

    await hub.hub.projector.caughtUp();
    const rebuilt = openSqliteReadStore({ file: join(data.dir, 'unlink-rebuilt.sqlite') });
    await rebuildReadModels(hub.hub.engines.store, rebuilt);
    expect((await rebuilt.get(COLLECTIONS.persons, personId))?.body).toEqual(
      (await hub.hub.engines.readStore.get(COLLECTIONS.persons, personId))?.body,
    );
    for (const key of [`cns:${ana}`, `cns:${someoneElse}`])
      expect((await rebuilt.get(COLLECTIONS.identityLinks, key))?.body).toEqual(
        (await hub.hub.engines.readStore.get(COLLECTIONS.identityLinks, key))?.body,
      );
    await rebuilt.close();
  });

  it('a number the merged person brought, unlinked from the survivor, names neither of them: registry and citizen API, live and rebuilt', async () => {
    const survivorCns = generateCns('definitive', random);
    const mergedCns = generateCns('provisional', random);
    const someoneElse = generateCns('provisional', random);
    const records = {
      survivor: await submitFor(survivorCns, 'merge-unlink-1'),
      merged: await submitFor(mergedCns, 'merge-unlink-2'),
      theirs: await submitFor(someoneElse, 'merge-unlink-3'),
    };
    const identify = async (identifiers: unknown[]) =>
      ((await (await feed('/identity/v1/persons', { identifiers })).json()) as { personId: string }).personId;
    const survivor = await identify([cnsId(survivorCns)]);
    const merged = await identify([cnsId(mergedCns), cnsId(someoneElse)]);
    expect((await feed(`/identity/v1/persons/${survivor}/merge`, { mergedPersonId: merged })).status).toBe(
      200,
    );
    const undone = await feed(`/identity/v1/persons/${survivor}/unlink`, {
      identifiers: [cnsId(someoneElse)],
    });
    expect([undone.status, await undone.json()]).toEqual([200, { personId: survivor, changed: true }]);

    const registry = async (personId: string) => {
      const response = await fetch(`${hub.url}/identity/v1/persons/${personId}`, {
        headers: { authorization: `Bearer ${REGISTRY_TOKEN}` },
      });
      return [response.status, await response.json()];
    };
    expect(await registry(survivor)).toEqual([
      200,
      {
        personId: survivor,
        identifiers: [
          { kind: 'CNS', number: survivorCns },
          { kind: 'CNS', number: mergedCns },
        ],
        demographics: {},
        displayCns: survivorCns,
      },
    ]);
    expect(await registry(merged)).toEqual([
      200,
      { personId: merged, identifiers: [], demographics: {}, mergedInto: survivor },
    ]);
    expect(await cardOf(`dev-citizen-cns-${someoneElse}`)).toEqual([records.theirs]);
    expect(await cardOf(`dev-citizen-cns-${mergedCns}`)).toEqual([records.survivor, records.merged].sort());
    const me = await (await hub.get('/citizen/v1/me', `dev-citizen-cns-${someoneElse}`)).text();
    expect(me).not.toContain(survivorCns);
    expect(me).not.toContain(mergedCns);

    await hub.hub.projector.caughtUp();
    const rebuilt = openSqliteReadStore({ file: join(data.dir, 'merge-unlink-rebuilt.sqlite') });
    await rebuildReadModels(hub.hub.engines.store, rebuilt);
    for (const store of [hub.hub.engines.readStore, rebuilt]) {
      for (const id of [survivor, merged])
        expect(JSON.stringify((await store.get(COLLECTIONS.persons, id))?.body)).not.toContain(someoneElse);
      expect(await store.get(COLLECTIONS.identityLinks, `cns:${someoneElse}`)).toBeUndefined();
    }
    for (const id of [survivor, merged])
      expect((await rebuilt.get(COLLECTIONS.persons, id))?.body).toEqual(
        (await hub.hub.engines.readStore.get(COLLECTIONS.persons, id))?.body,
      );
    await rebuilt.close();
  });

  it('once an unlink is answered, the citizen API shows neither holder the other’s records, without waiting', async () => {
    for (let round = 0; round < 5; round++) {
      const mine = generateCns('definitive', random);
      const theirs = generateCns('provisional', random);
      await submitFor(mine, `stale-mine-${round}`);
      const theirRecord = await submitFor(theirs, `stale-theirs-${round}`);
      const created = await feed('/identity/v1/persons', { identifiers: [cnsId(mine), cnsId(theirs)] });
      const { personId } = (await created.json()) as { personId: string };
      expect(
        (await feed(`/identity/v1/persons/${personId}/unlink`, { identifiers: [cnsId(theirs)] })).status,
      ).toBe(200);
      // No wait for the projector here: the answer came once the views held the change.
      const card = (await (
        await hub.get('/citizen/v1/me/immunizations', `dev-citizen-cns-${theirs}`)
      ).json()) as {
        immunizations: Array<{ recordId: string }>;
      };
      expect(
        card.immunizations.map((i) => i.recordId),
        `round ${round}`,
      ).toEqual([theirRecord]);
    }
  });
});
