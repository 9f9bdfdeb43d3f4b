/**
 * The distributed mode's services, each on its own as `docker compose` runs them: the ingest (the
 * senders' API and the national registry's identity feed), the citizen API and the projector,
 * sharing only the engines. Embedded engines stand in for MongoDB and Kafka here; the services'
 * code is the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Subscription } from '@nexo/eventstore';
import { generateCns, generateCpf, seededRandom } from '@nexo/identifiers';
import { startProjector } from '@nexo/projector';
import { REGISTRY_TOKEN, SENDER, riaBundle, tempDataDir } from './hub-harness.ts';
import { buildStandaloneServices, type StandaloneServices } from './standalone-services.ts';

const random = seededRandom(41);
const cnsId = (value: string) => ({ system: 'https://saude.gov.br/sid/cns', value });
const cpfId = (value: string) => ({ system: 'https://saude.gov.br/sid/cpf', value });

describe('the distributed services on their own', () => {
  const data = tempDataDir();
  let services: StandaloneServices | undefined;
  let projector: Subscription | undefined;
  let ingest: FastifyInstance;
  let citizen: FastifyInstance;

  beforeAll(async () => {
    services = await buildStandaloneServices(data.dir, { NEXO_IDENTITY_FEED_TOKEN: REGISTRY_TOKEN });
    ({ ingest, citizen } = services);
    const { engines } = services;
    projector = await startProjector({
      bus: engines.bus,
      store: engines.store,
      readStore: engines.readStore,
    });
  });
  afterAll(async () => {
    await projector?.stop();
    await services?.close();
    data.remove();
  });

  const submit = async (identifier: string, cns: string) => {
    const response = await ingest.inject({
      method: 'POST',
      url: '/fhir/r4/Bundle',
      headers: {
        authorization: `Bearer dev-establishment-${SENDER}`,
        'content-type': 'application/fhir+json',
      },
      payload: JSON.stringify(riaBundle({ identifier, cns })),
    });
    expect(response.statusCode).toBe(201);
    return String(response.headers.location).split('/').at(-1);
  };
  const feed = async (url: string, body: unknown) =>
    ingest.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${REGISTRY_TOKEN}`, 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
  const cardOf = async (token: string) => {
    await projector?.caughtUp();
    const response = await citizen.inject({
      url: '/citizen/v1/me/immunizations',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.statusCode).toBe(200);
    return (response.json() as { immunizations: Array<{ recordId: string }> }).immunizations
      .map((i) => i.recordId)
      .sort();
  };

  it('the ingest serves the registry’s identity feed: records under two provisional CNS join the citizen’s card', async () => {
    const provisionalA = generateCns('provisional', random);
    const provisionalB = generateCns('provisional', random);
    const definitive = generateCns('definitive', random);
    const cpf = generateCpf(random);
    const records = [await submit('dist-1', provisionalA), await submit('dist-2', provisionalB)].sort();
    expect(await cardOf(`dev-citizen-cpf-${cpf}`)).toEqual([]);

    const identified = await feed('/identity/v1/persons', {
      identifiers: [cnsId(definitive), cpfId(cpf), cnsId(provisionalA)],
      name: 'Maria da Silva',
      birthDate: '1980-02-03',
    });
    expect(identified.statusCode).toBe(201);
    const { personId } = identified.json() as { personId: string };
    // No wait here: the link waits for the projector process to apply the identification.
    const linked = await feed(`/identity/v1/persons/${personId}/identifiers`, {
      identifiers: [cnsId(provisionalB)],
    });
    expect(linked.statusCode).toBe(200);

    expect(await cardOf(`dev-citizen-cpf-${cpf}`)).toEqual(records);
    expect(await cardOf(`dev-citizen-cns-${definitive}`)).toEqual(records);
  });

  it('the feed refuses any token but the registry’s', async () => {
    const response = await ingest.inject({
      method: 'POST',
      url: '/identity/v1/persons',
      headers: { authorization: `Bearer dev-establishment-${SENDER}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ identifiers: [cnsId(generateCns('definitive', random))] }),
    });
    expect(response.statusCode).toBe(401);
  });
});
