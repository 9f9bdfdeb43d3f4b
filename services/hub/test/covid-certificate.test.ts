import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCertificateSigner } from '@nexo/citizen';
import { generateCns, seededRandom } from '@nexo/identifiers';
import { REGISTRY_TOKEN, SENDER, citizenToken, tempDataDir } from './hub-harness.ts';
import { covidBundle, problemOf, startClockedHub, type ClockedHub } from './citizen-services-harness.ts';
import { pdfText } from './pdf-text.ts';

// Synthetic definitive CNS numbers (valid check digits).
const MARIA = '266764941990004';
const ABROAD = '203212962400006';
const NO_COVID = '700000000000005';
const ISSUED_AT = '2026-11-23T15:04:05.000Z';

describe('COVID-19 vaccination certificate', () => {
  const data = tempDataDir();
  let hub: ClockedHub;
  const submit = async (bundle: Record<string, unknown>) => {
    const response = await hub.request('POST', '/fhir/r4/Bundle', `dev-establishment-${SENDER}`, bundle);
    expect(response.status, JSON.stringify(await response.clone().json())).toBe(201);
  };
  const certificate = (cns: string, query = '', accept?: string) =>
    fetch(`${hub.url}/citizen/v1/me/certificates/covid-19${query}`, {
      headers: { authorization: `Bearer ${citizenToken(cns)}`, ...(accept ? { accept } : {}) },
    });

  beforeAll(async () => {
    hub = await startClockedHub(data.dir, ISSUED_AT);
    const identified = await fetch(`${hub.url}/identity/v1/persons`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${REGISTRY_TOKEN}` },
      body: JSON.stringify({
        identifiers: [{ system: 'https://saude.gov.br/sid/cns', value: MARIA }],
        name: 'Maria da Silva',
        birthDate: '1980-02-03',
      }),
    });
    expect(identified.status).toBe(201);
    // Maria: 1st and 2nd dose in Brazil, a booster given abroad, and a vaccine that is not COVID-19;
    // the second citizen got the 2nd dose abroad; the third has no COVID-19 dose.
    const doses: Array<[string, string, string, string, string, string | 'abroad']> = [
      ['m-1', MARIA, '87', '1', '2021-05-01', 'FF1234'],
      ['m-2', MARIA, '87', '2', '2021-08-01', 'FF5678'],
      ['m-3', MARIA, '97', '38', '2022-01-10', 'abroad'],
      ['m-4', MARIA, '77', '8', '2025-03-10', 'INF1'],
      ['a-1', ABROAD, '86', '1', '2021-03-01', 'BUT1'],
      ['a-2', ABROAD, '86', '2', '2021-03-29', 'abroad'],
      ['n-1', NO_COVID, '77', '8', '2025-03-10', 'INF2'],
    ];
    for (const [identifier, cns, vaccine, dose, date, lot] of doses)
      await submit(
        covidBundle({
          identifier,
          cns,
          vaccine,
          dose,
          date,
          ...(lot === 'abroad' ? { abroad: true } : { lot }),
        }),
      );
    await hub.hub.projector.caughtUp();
  });
  afterAll(async () => {
    await hub.stop();
    data.remove();
  });

  /** Lines the PDF must hold in each language: title, labels, dates and dose names. */
  const expected = {
    pt: {
      tag: 'pt-BR',
      lines:
        'Certificado Nacional de Vacinação COVID-19|Nome|Data de nascimento|03/02/1980|1ª dose|2ª dose|Reforço|01/05/2021|Exterior (ARGENTINA)|Código de verificação',
    },
    en: {
      tag: 'en',
      lines:
        'National COVID-19 Vaccination Certificate|Name|Date of birth|1980-02-03|1st dose|2nd dose|Booster|2021-05-01|Abroad (ARGENTINA)|Verification code',
    },
    es: {
      tag: 'es',
      lines:
        'Certificado Nacional de Vacunación COVID-19|Nombre|Fecha de nacimiento|03/02/1980|1.ª dosis|2.ª dosis|Refuerzo|01/05/2021|Extranjero (ARGENTINA)|Código de verificación',
    },
  } as const;

  it.each(['pt', 'en', 'es'] as const)(
    'is a PDF in %s listing every COVID-19 dose, with the holder and a verification code',
    async (lang) => {
      const response = await certificate(MARIA, `?lang=${lang}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/pdf');
      expect(response.headers.get('content-language')).toBe(expected[lang].tag);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const bytes = new Uint8Array(await response.arrayBuffer());
      expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe('%PDF-');
      const { lines, pages, title } = await pdfText(bytes);
      expect(pages).toBe(1);
      expect(title).toBe(expected[lang].lines.split('|')[0]);
      for (const line of expected[lang].lines.split('|')) expect(lines).toContain(line);
      // the name from the registry, the definitive CNS, lots, establishment, vaccines; not the other vaccine
      for (const line of ['Maria da Silva', MARIA, 'FF1234', 'FF5678', SENDER, 'COVID-19 PFIZER - COMIRNATY'])
        expect(lines).toContain(line);
      expect(lines.join(' ')).toContain('SPIKEVAX');
      expect(lines.join(' ')).not.toContain('INFLUENZA');
      const code = (await (await certificate(MARIA, `?lang=${lang}&format=json`)).json()) as {
        verification: { code: string };
      };
      expect(code.verification.code).toMatch(/^[\w-]+\.[\w-]+$/);
      expect(lines.join('')).toContain(code.verification.code);
    },
  );

  it('answers the JSON form with Accept: application/json or format=json', async () => {
    const byAccept = await certificate(MARIA, '?lang=en', 'application/json');
    expect(byAccept.status).toBe(200);
    expect(byAccept.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const form = (await byAccept.json()) as Record<string, unknown> & {
      verification: { code: string; url: string };
    };
    expect(form).toEqual({
      certificate: 'covid-19',
      language: 'en',
      title: 'National COVID-19 Vaccination Certificate',
      issuer: 'Brazilian Unified Health System (SUS) — Ministry of Health of Brazil',
      issuedAt: '2026-11-23T15:04:05Z',
      holder: { name: 'Maria da Silva', birthDate: '1980-02-03', cns: MARIA },
      doses: [
        {
          vaccine: { code: '87', display: 'COVID-19 PFIZER - COMIRNATY' },
          dose: { code: '1', display: '1st dose' },
          date: '2021-05-01',
          lotNumber: 'FF1234',
          manufacturer: { code: '152', display: expect.any(String) },
          establishment: SENDER,
          givenAbroad: false,
        },
        expect.objectContaining({
          dose: { code: '2', display: '2nd dose' },
          date: '2021-08-01',
          givenAbroad: false,
        }),
        expect.objectContaining({
          vaccine: { code: '97', display: 'COVID-19 MODERNA - SPIKEVAX' },
          dose: { code: '38', display: 'Booster' },
          givenAbroad: true,
          country: { code: '21', display: 'ARGENTINA' },
        }),
      ],
      verification: {
        code: form.verification.code,
        url: `${hub.url}/public/v1/certificates/verify/${form.verification.code}`,
        keys: `${hub.url}/public/v1/certificates/keys`,
      },
    });
    const byQuery = await certificate(MARIA, '?format=json');
    expect((await byQuery.json()) as { language: string }).toMatchObject({ language: 'pt' });
  });

  it.each([
    ['pt', 'O certificado exige o esquema primário (1ª e 2ª dose, ou dose única) aplicado no Brasil.'],
    [
      'en',
      'The certificate requires the primary series (1st and 2nd dose, or a single dose) given in Brazil.',
    ],
    ['es', 'El certificado exige el esquema primario (1.ª y 2.ª dosis, o dosis única) aplicado en Brasil.'],
  ])(
    'is refused (422, in %s) when the primary series was completed abroad, yet the card shows the dose',
    async (lang, why) => {
      const refused = await certificate(ABROAD, `?lang=${lang}`);
      expect(refused.status).toBe(422);
      expect(refused.headers.get('content-type')).toBe('application/fhir+json; charset=utf-8');
      const problem = await problemOf(refused);
      expect(problem.code).toBe('NEXO_ERR_CERTIFICATE_UNAVAILABLE');
      expect(problem.diagnostics).toContain(why);
      const card = (await (
        await hub.request('GET', '/citizen/v1/me/immunizations', citizenToken(ABROAD))
      ).json()) as {
        immunizations: Array<{ immunization: { transcription?: { origin: { code: string } } } }>;
      };
      expect(card.immunizations.map((i) => i.immunization.transcription?.origin.code ?? 'Brazil')).toEqual([
        '02',
        'Brazil',
      ]);
    },
  );

  it('is refused with its own reason when there is no COVID-19 dose; other errors name their parameter', async () => {
    const none = await problemOf(await certificate(NO_COVID, '?lang=en'));
    expect(none).toMatchObject({
      code: 'NEXO_ERR_CERTIFICATE_UNAVAILABLE',
      diagnostics: expect.stringContaining('no COVID-19 vaccine dose'),
    });
    expect(await problemOf(await certificate(MARIA, '?lang=fr'))).toMatchObject({
      code: 'NEXO_ERR_UNPARSABLE',
      expression: ['lang'],
    });
    expect(await problemOf(await certificate(MARIA, '', 'text/html'))).toMatchObject({
      code: 'NEXO_ERR_NOT_ACCEPTABLE',
    });
    const anonymous = await fetch(`${hub.url}/citizen/v1/me/certificates/covid-19`);
    expect(anonymous.status).toBe(401);
  });

  it('verifies a genuine code, offline too; a tampered or foreign code is invalid', async () => {
    const form = (await (await certificate(MARIA, '?format=json')).json()) as {
      verification: { code: string };
    };
    const code = form.verification.code;
    const verifyCode = async (text: string) =>
      (await fetch(`${hub.url}/public/v1/certificates/verify/${text}`)).json() as Promise<
        Record<string, unknown>
      >;
    expect(await verifyCode(code)).toEqual({
      valid: true,
      certificate: 'covid-19',
      issuedAt: '2026-11-23T15:04:05Z',
      doses: 3,
      lastDose: '2022-01-10',
      holder: 'M*** d*** S***',
    });

    const [payload = '', signature = ''] = code.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, d: 4 })).toString('base64url');
    expect(await verifyCode(`${forged}.${signature}`)).toEqual({ valid: false });
    const flipped = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
    expect(await verifyCode(`${payload}.${flipped}`)).toEqual({ valid: false });
    expect(await verifyCode('not-a-code')).toEqual({ valid: false });
    const stranger = createCertificateSigner(generateKeyPairSync('ed25519').privateKey);
    expect(
      await verifyCode(stranger.sign({ t: 'covid-19', i: '2026-01-01T00:00:00Z', d: 9, l: '2022-01-10' })),
    ).toEqual({
      valid: false,
    });

    // Offline: the published key and the code alone are enough.
    const { keys } = (await (await fetch(`${hub.url}/public/v1/certificates/keys`)).json()) as {
      keys: Array<{ kty: string; crv: string; x: string; kid: string }>;
    };
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: keys[0]?.x ?? '' }, format: 'jwk' });
    expect(keys[0]?.kid).toBe(claims.k);
    expect(verify(null, Buffer.from(payload, 'base64url'), key, Buffer.from(signature, 'base64url'))).toBe(
      true,
    );
    expect(verify(null, Buffer.from(forged, 'base64url'), key, Buffer.from(signature, 'base64url'))).toBe(
      false,
    );
  });

  it('verifies the code of a holder whose name has many words: the masked name keeps 8 initials', async () => {
    // 100 one-letter words of a 3-byte character: 199 characters, within the registry's 200.
    const name = Array.from({ length: 100 }, () => '€').join(' ');
    const holder = generateCns('definitive', seededRandom(9));
    const identified = await fetch(`${hub.url}/identity/v1/persons`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${REGISTRY_TOKEN}` },
      body: JSON.stringify({
        identifiers: [{ system: 'https://saude.gov.br/sid/cns', value: holder }],
        name,
      }),
    });
    expect(identified.status).toBe(201);
    for (const [dose, date] of [
      ['1', '2021-05-01'],
      ['2', '2021-08-01'],
    ] as const)
      await submit(
        covidBundle({ identifier: `long-${dose}`, cns: holder, vaccine: '87', dose, date, lot: 'FF1' }),
      );
    await hub.hub.projector.caughtUp();
    const form = (await (await certificate(holder, '?format=json')).json()) as {
      holder: { name?: string };
      verification: { code: string };
    };
    expect(form.holder.name).toBe(name);
    const verified = (await (
      await fetch(`${hub.url}/public/v1/certificates/verify/${form.verification.code}`)
    ).json()) as Record<string, unknown>;
    expect(verified).toMatchObject({
      valid: true,
      doses: 2,
      holder: '€*** €*** €*** €*** €*** €*** €*** … €***',
    });
  });

  it('keeps its signing key across restarts: a code issued before still verifies', async () => {
    const before = (await (await certificate(MARIA, '?format=json')).json()) as {
      verification: { code: string };
    };
    await hub.stop();
    hub = await startClockedHub(data.dir, ISSUED_AT);
    const answer = await fetch(`${hub.url}/public/v1/certificates/verify/${before.verification.code}`);
    expect(((await answer.json()) as { valid: boolean }).valid).toBe(true);
  });
});
