import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectEventsMatchSchemas } from './event-schema-harness.ts';
import { citizenToken, example, riaBundle, tempDataDir } from './hub-harness.ts';
import {
  ADMIN_TOKEN,
  DISABLED_MESSAGE,
  expectRevoked,
  securityOutcome,
  startSecureHub,
  startTestIssuer,
  type SecureHub,
  type TestIssuer,
} from './security-harness.ts';

/**
 * An REL may name its author by CNPJ or CNS (BRPessoaJuridicaProfissionalLiberal-1.0) instead of
 * the CNES: ingest accepts it when the token's establishment lists that identifier in the registry.
 */
const LAB = '9990022';
const OTHER_LAB = '9990044';
const UNREGISTERED_LAB = '9990055';
const CNPJ = '11222333000181';
const OTHER_CNPJ = '12ABC34501DE35';
/** A professional's CNS (a self-employed one authoring their own results). */
const PROFESSIONAL_CNS = '109654425720002';
const REL_CITIZEN_CNS = '998396937874850';
const PJ = 'http://www.saude.gov.br/fhir/r4/StructureDefinition/BRPessoaJuridicaProfissionalLiberal-1.0';
const AUTHOR_PATH = 'Bundle.entry[0].resource.author[0].identifier';

type Identifier = { system: string; value: string };
type Outcome = {
  resourceType: 'OperationOutcome';
  issue: Array<{
    severity: string;
    code: string;
    diagnostics: string;
    expression?: string[];
    details?: { coding: Array<{ system: string; code: string }> };
  }>;
};

/** The shared REL example with another author and Bundle.identifier. */
const rel = (author: Identifier, identifier: string) => {
  const bundle = example('rel-qualitativo') as {
    identifier: { value: string };
    entry: Array<{ resource: { author?: Array<{ identifier: Identifier }> } }>;
  };
  bundle.identifier.value = identifier;
  bundle.entry[0]!.resource.author = [{ identifier: author }];
  return bundle;
};
const byCnpj = (value: string) => ({ system: PJ, value });
const byCns = (value: string) => ({ system: PJ, value });

/** The whole answer to a document whose author is not the token's establishment. */
const forbidden = (message: RegExp): unknown =>
  securityOutcome({
    code: 'NEXO_ERR_FORBIDDEN',
    display: 'not allowed for this client',
    diagnostics: expect.stringMatching(message),
    expression: [AUTHOR_PATH],
  });

const recordIdOf = (response: { headers: Record<string, unknown> }) =>
  String(response.headers.location ?? '')
    .split('/')
    .at(-1) ?? '';

describe('REL documents authored by CNPJ or CNS (development tokens, admin API)', () => {
  const data = tempDataDir();
  let hub: SecureHub;
  const post = (path: string, body: unknown, cnes = LAB) =>
    hub.request({ url: path, token: `dev-establishment-${cnes}`, body });
  const admin = (method: 'GET' | 'POST', url: string, body?: unknown) =>
    hub.request({
      method,
      url,
      token: ADMIN_TOKEN,
      ...(body === undefined ? {} : { body, contentType: 'application/json' }),
    });
  const put = (cnes: string, body: unknown) =>
    hub.hub.app
      .inject({
        method: 'PUT',
        url: `/admin/v1/establishments/${cnes}/authors`,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        payload: JSON.stringify(body),
      })
      .then((r) => ({ status: r.statusCode, json: () => r.json() as unknown }));
  const eventTypes = async () => (await hub.hub.engines.store.readAll(0, 1000)).map((e) => e.type);
  const submitted = async () =>
    (await eventTypes()).filter((type) => type.startsWith('Record') || type === 'ResendIgnored').length;

  beforeAll(async () => {
    hub = await startSecureHub(data.dir, { mode: 'development' });
    for (const [cnes, name, cnpj] of [
      [LAB, 'Laboratório Central', [CNPJ]],
      [OTHER_LAB, 'Laboratório Norte', [OTHER_CNPJ]],
    ] as const) {
      const response = await admin('POST', '/admin/v1/establishments', { cnes, name, cnpj });
      expect(response.status).toBe(201);
    }
  });
  afterAll(async () => {
    await hub.stop();
    data.remove();
  });

  it('the registry answers the identities it recorded', async () => {
    const response = await admin('GET', `/admin/v1/establishments/${LAB}`);
    expect([response.status, response.json()]).toEqual([
      200,
      { clientId: LAB, name: 'Laboratório Central', active: true, cnpj: [CNPJ], cns: [] },
    ]);
  });

  it('accepts an REL authored by a CNPJ registered for the sender (201), readable by it', async () => {
    const response = await post('/fhir/r4/Bundle', rel(byCnpj(CNPJ), 'LAB-CNPJ-1'));
    expect(response.status).toBe(201);
    const id = recordIdOf(response);
    expect(id).not.toBe('');
    await hub.hub.projector.caughtUp();
    const read = await hub.request({ url: `/fhir/r4/Bundle/${id}`, token: `dev-establishment-${LAB}` });
    expect(read.status).toBe(200);
    const stored = read.json() as { id: string; entry: Array<{ resource: { author: unknown } }> };
    expect(stored.id).toBe(id);
    expect(stored.entry[0]?.resource.author).toEqual([{ identifier: byCnpj(CNPJ) }]);
    // The record belongs to the CNES whose token sent it: that is who the citizen asks for a correction.
    const results = (
      await hub.request({ url: '/citizen/v1/me/lab-results', token: citizenToken(REL_CITIZEN_CNS) })
    ).json() as { labResults: Array<{ recordId: string; laboratory: string }> };
    expect(results.labResults).toContainEqual(expect.objectContaining({ recordId: id, laboratory: LAB }));
  });

  it('refuses a CNPJ the sender has not registered: 403 naming the field and the fix, nothing stored', async () => {
    const before = await submitted();
    const response = await post('/fhir/r4/Bundle', rel(byCnpj('11444777000161'), 'LAB-CNPJ-2'));
    expect(response.status).toBe(403);
    expect(response.headers['content-type']).toMatch(/^application\/fhir\+json/);
    expect(response.json()).toEqual(
      forbidden(
        /^Composition\.author CNPJ 11444777000161 is not registered for CNES 9990022: .*pnpm establishment:authors --cnes 9990022 --cnpj 11444777000161/,
      ),
    );
    expect(await submitted()).toBe(before);
    await hub.hub.projector.caughtUp();
    const rejections = (
      await hub.request({ url: '/establishment/v1/rejections', token: `dev-establishment-${LAB}` })
    ).json() as { rejections: Array<{ bundleIdentifier?: { value: string }; status: number }> };
    expect(rejections.rejections[0]).toMatchObject({
      bundleIdentifier: { value: 'LAB-CNPJ-2' },
      status: 403,
    });
  });

  it('refuses a CNPJ registered for another establishment, both ways', async () => {
    const before = await submitted();
    const mine = await post('/fhir/r4/Bundle', rel(byCnpj(OTHER_CNPJ), 'LAB-CNPJ-3'));
    expect([mine.status, mine.json()]).toEqual([
      403,
      forbidden(/^Composition\.author CNPJ 12ABC34501DE35 is not registered for CNES 9990022: /),
    ]);
    const theirs = await post('/fhir/r4/Bundle', rel(byCnpj(CNPJ), 'NORTE-1'), OTHER_LAB);
    expect([theirs.status, theirs.json()]).toEqual([
      403,
      forbidden(/^Composition\.author CNPJ 11222333000181 is not registered for CNES 9990044: /),
    ]);
    expect(await submitted()).toBe(before);
  });

  it('a CNS author: refused until listed, then accepted; the list replaces the previous one', async () => {
    const refused = await post('/fhir/r4/Bundle', rel(byCns(PROFESSIONAL_CNS), 'LAB-CNS-1'));
    expect([refused.status, refused.json()]).toEqual([
      403,
      forbidden(
        /^Composition\.author CNS 109654425720002 is not registered for CNES 9990022: .*--cns 109654425720002/,
      ),
    ]);
    const set = await put(LAB, { cns: [PROFESSIONAL_CNS] });
    expect([set.status, set.json()]).toEqual([200, { clientId: LAB, cnpj: [], cns: [PROFESSIONAL_CNS] }]);
    expect((await post('/fhir/r4/Bundle', rel(byCns(PROFESSIONAL_CNS), 'LAB-CNS-1'))).status).toBe(201);
    // The CNPJ was left out of the new list: no longer accepted.
    expect((await post('/fhir/r4/Bundle', rel(byCnpj(CNPJ), 'LAB-CNPJ-4'))).status).toBe(403);
    const both = await put(LAB, { cnpj: [CNPJ], cns: [PROFESSIONAL_CNS] });
    expect(both.status).toBe(200);
    expect((await post('/fhir/r4/Bundle', rel(byCnpj(CNPJ), 'LAB-CNPJ-4'))).status).toBe(201);
  });

  it('$validate answers as a create would: valid for a listed identity, NEXO_ERR_FORBIDDEN otherwise', async () => {
    const before = await submitted();
    const valid = await post('/fhir/r4/Bundle/$validate', rel(byCnpj(CNPJ), 'VALIDATE-1'));
    expect(valid.status).toBe(200);
    expect((valid.json() as Outcome).issue[0]).toMatchObject({
      severity: 'information',
      diagnostics: expect.stringMatching(/^valid REL document/),
    });
    expect((await post('/fhir/r4/Bundle/$validate', rel(byCns(PROFESSIONAL_CNS), 'VALIDATE-2'))).status).toBe(
      200,
    );
    for (const [author, cnes, message] of [
      [
        byCnpj('11444777000161'),
        LAB,
        /^Composition\.author CNPJ 11444777000161 is not registered for CNES 9990022: /,
      ],
      [
        byCnpj(OTHER_CNPJ),
        LAB,
        /^Composition\.author CNPJ 12ABC34501DE35 is not registered for CNES 9990022: /,
      ],
      [
        byCns(PROFESSIONAL_CNS),
        OTHER_LAB,
        /^Composition\.author CNS 109654425720002 is not registered for CNES 9990044: /,
      ],
    ] as const) {
      const response = await post('/fhir/r4/Bundle/$validate', rel(author, 'VALIDATE-3'), cnes);
      // $validate answers 422 for every unacceptable document; the issue is the one a create gives.
      expect([response.status, response.json()]).toEqual([422, forbidden(message)]);
    }
    expect(await submitted()).toBe(before);
  });

  it('development tokens: a CNES author needs no registration; a CNPJ author needs one', async () => {
    const cnes = await post(
      '/fhir/r4/Bundle',
      rel(
        {
          system: 'http://www.saude.gov.br/fhir/r4/StructureDefinition/BREstabelecimentoSaude-1.0',
          value: UNREGISTERED_LAB,
        },
        'UNREG-1',
      ),
      UNREGISTERED_LAB,
    );
    expect(cnes.status).toBe(201);
    const cnpj = await post('/fhir/r4/Bundle', rel(byCnpj(CNPJ), 'UNREG-2'), UNREGISTERED_LAB);
    expect([cnpj.status, cnpj.json()]).toEqual([
      403,
      forbidden(
        /^Composition\.author CNPJ 11222333000181 is not registered for CNES 9990055, which has no active registration: .*pnpm establishment:add --cnes 9990055 --name <name> --cnpj 11222333000181/,
      ),
    ]);
  });

  it('only REL may name a CNPJ author, registered or not', async () => {
    const ria = riaBundle({ identifier: 'RIA-CNPJ' }) as {
      entry: Array<{ resource: { author: Array<{ identifier: Identifier }> } }>;
    };
    ria.entry[0]!.resource.author = [{ identifier: byCnpj(CNPJ) }];
    const response = await post('/fhir/r4/Bundle', ria);
    expect(response.status).toBe(422);
    expect((response.json() as Outcome).issue.map((i) => i.details?.coding[0]?.code)).toContain(
      'NEXO_ERR_VALIDATION_IDENTIFIER',
    );
  });

  it('refuses invalid identities, naming the field (422 NEXO_ERR_VALIDATION_IDENTIFIER)', async () => {
    const cases: Array<[() => Promise<{ status: number; json: () => unknown }>, string]> = [
      [
        () =>
          admin('POST', '/admin/v1/establishments', { cnes: '9990066', name: 'x', cnpj: ['11222333000182'] }),
        'cnpj[0]',
      ],
      [
        () =>
          admin('POST', '/admin/v1/establishments', { cnes: '9990066', name: 'x', cns: ['203212962400007'] }),
        'cns[0]',
      ],
      [() => put(LAB, { cnpj: [CNPJ, '11.222.333/0001-81'] }), 'cnpj[1]'],
      [() => put(LAB, { cns: PROFESSIONAL_CNS }), 'cns'],
    ];
    for (const [send, expression] of cases) {
      const response = await send();
      expect(response.status).toBe(422);
      expect((response.json() as Outcome).issue[0]).toMatchObject({
        details: { coding: [{ code: 'NEXO_ERR_VALIDATION_IDENTIFIER' }] },
        expression: [expression],
      });
    }
    const typo = await put(LAB, { CNPJ: [CNPJ] });
    expect(typo.status).toBe(422);
    expect((typo.json() as Outcome).issue[0]).toMatchObject({ expression: ['CNPJ'] });
    expect((await admin('GET', '/admin/v1/establishments/9990066')).status).toBe(404);
    expect((await put('9990066', { cnpj: [CNPJ] })).status).toBe(404);
    expect((await admin('GET', `/admin/v1/establishments/${LAB}`)).json()).toMatchObject({
      cnpj: [CNPJ],
      cns: [PROFESSIONAL_CNS],
    });
  });

  it('writes registry events that match their schemas', async () => {
    const events = (await hub.hub.engines.store.readAll(0, 1000)).filter((e) =>
      e.type.startsWith('Establishment'),
    );
    expect(events.map((e) => [e.type, e.data])).toEqual([
      ['EstablishmentRegistered', expect.objectContaining({ cnes: LAB, cnpj: [CNPJ] })],
      ['EstablishmentRegistered', expect.objectContaining({ cnes: OTHER_LAB, cnpj: [OTHER_CNPJ] })],
      ['EstablishmentAuthorsSet', { cnes: LAB, cnpj: [], cns: [PROFESSIONAL_CNS] }],
      ['EstablishmentAuthorsSet', { cnes: LAB, cnpj: [CNPJ], cns: [PROFESSIONAL_CNS] }],
    ]);
    expectEventsMatchSchemas(events);
  });
});

describe('REL authored by CNPJ with a signed token (production mode)', () => {
  const data = tempDataDir();
  let issuer: TestIssuer;
  let hub: SecureHub;
  beforeAll(async () => {
    issuer = await startTestIssuer();
    hub = await startSecureHub(data.dir, { mode: 'production', issuer });
  });
  afterAll(async () => {
    await hub.stop();
    await issuer.stop();
    data.remove();
  });

  it('accepts the registered CNPJ, and nothing from the establishment once it is disabled', async () => {
    const registered = await hub.request({
      url: '/admin/v1/establishments',
      token: ADMIN_TOKEN,
      body: { cnes: LAB, name: 'Laboratório Central', cnpj: [CNPJ] },
      contentType: 'application/json',
    });
    expect(registered.status).toBe(201);
    const token = await hub.senderToken(LAB, (registered.json() as { clientSecret: string }).clientSecret);
    const send = (identifier: string) =>
      hub.request({ url: '/fhir/r4/Bundle', token, body: rel(byCnpj(CNPJ), identifier) });
    expect((await send('PROD-1')).status).toBe(201);
    const disabled = await hub.request({
      url: `/admin/v1/establishments/${LAB}/disable`,
      token: ADMIN_TOKEN,
      body: { reason: 'closed' },
      contentType: 'application/json',
    });
    expect(disabled.status).toBe(200);
    // The token is revoked with the registration (the author check's own refusal of a disabled
    // establishment's CNPJ is in services/ingest/test/author-check.test.ts).
    expectRevoked(await send('PROD-2'), DISABLED_MESSAGE);
  });
});
