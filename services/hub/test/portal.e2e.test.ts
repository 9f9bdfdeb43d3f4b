import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { seededRandom } from '@nexo/identifiers';
import { rdmBundle, rdmFacts, riaBundle } from '@nexo/testkit';
import { demoDocuments } from '../src/demo/seed.ts';
import {
  CITIZEN_CNS,
  OTHER_CNS,
  especialDose,
  example,
  startHub,
  tempDataDir,
  type RunningHub,
} from './hub-harness.ts';

/** Debian's chromium (.ci/run installs it); without it, only a developer's run may skip. */
const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const PORTAL_SCREENSHOT = join(tmpdir(), 'nexo-portal-vaccination-card.png');

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('citizen portal in headless Chromium', () => {
  const data = tempDataDir();
  let hub: RunningHub;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    hub = await startHub(data.dir);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    page = await browser.newPage({ viewport: { width: 1100, height: 760 }, locale: 'pt-BR' });
    page.on('pageerror', (err) => pageErrors.push(err.message));
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    data.remove();
  });

  it('a vaccine submitted over HTTP is on the card after the citizen logs in with their CNS', async () => {
    const submitted = await hub.post('/fhir/r4/Bundle', example('ria-r'));
    expect(submitted.status).toBe(201);

    await page.goto(`${hub.url}/`);
    expect(page.url()).toBe(`${hub.url}/portal/`);
    await page
      .getByLabel('CPF ou Cartão Nacional de Saúde (CNS)')
      .fill(CITIZEN_CNS.replace(/(\d{3})(\d{4})(\d{4})(\d{4})/, '$1 $2 $3 $4'));
    await page.getByRole('button', { name: 'Entrar' }).click();

    const row = page.locator('#panel-vaccines tbody tr');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.locator('td').allInnerTexts()).toEqual([
      'INF4',
      'Dose',
      expect.stringMatching(/^\d{2}\/\d{2}\/\d{4}$/),
      'INF25B031',
      'CNES 9990011',
    ]);
    expect(await page.locator('#who-label').innerText()).toBe('CNS 266 **** **** 0004');
    expect(await page.locator('#count-vaccines').innerText()).toBe('1');
    // The certificate endpoint does not exist yet: no link to it.
    expect(await page.locator('#certificate').isHidden()).toBe(true);
    await page.screenshot({ path: PORTAL_SCREENSHOT, fullPage: true });

    await page.getByRole('tab', { name: /Linha do tempo/ }).click();
    expect(await page.locator('#panel-timeline li').count()).toBe(1);
    expect(await page.locator('#panel-timeline li .tag').innerText()).toBe('Vacina');
    expect(pageErrors).toEqual([]);
  });

  it('a number with wrong check digits is refused with a message, and logging out returns to the form', async () => {
    await page.getByRole('button', { name: 'Sair' }).click();
    await page.getByLabel('CPF ou Cartão Nacional de Saúde (CNS)').fill('111.111.111-12');
    await page.getByRole('button', { name: 'Entrar' }).click();
    await expect
      .poll(() => page.locator('#login-error').innerText())
      .toBe('CPF ou CNS inválido. Confira os números.');
    expect(await page.locator('#records-view').isHidden()).toBe(true);
    await page.getByLabel('CPF ou Cartão Nacional de Saúde (CNS)').fill('1234');
    await page.getByRole('button', { name: 'Entrar' }).click();
    expect(await page.locator('#login-error').innerText()).toBe(
      'Informe um CPF (11 dígitos) ou um CNS (15 dígitos).',
    );
  });

  it('shows the COVID-19 certificate link once the API answers it, and the link downloads the PDF', async () => {
    const [first, second] = demoDocuments(new Date()).filter((d) =>
      d.bundle.identifier.value.startsWith('demo-ria-maria-covid'),
    );
    for (const doc of [first!, second!]) {
      const moved = JSON.parse(JSON.stringify(doc.bundle).replaceAll(CITIZEN_CNS, OTHER_CNS)) as unknown;
      expect((await hub.post('/fhir/r4/Bundle', moved, `dev-establishment-${doc.sender}`)).status).toBe(201);
    }
    await hub.hub.projector.caughtUp();
    // The previous test left the login form on screen.
    await page.getByLabel('CPF ou Cartão Nacional de Saúde (CNS)').fill(OTHER_CNS);
    await page.getByRole('button', { name: 'Entrar' }).click();
    const link = page.getByRole('button', { name: 'Baixar certificado COVID-19' });
    await link.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await page.locator('#panel-vaccines tbody tr').count()).toBe(2);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/\.pdf$/);
  });

  it('shows the reason for a dose and how to take a dispensed medicine under their names', async () => {
    const citizen = '202279972240018';
    const dose = riaBundle(especialDose('portal-reason-1', citizen));
    expect((await hub.post('/fhir/r4/Bundle', dose)).status).toBe(201);
    const medicine = rdmBundle(
      rdmFacts(seededRandom(1), {
        identifier: 'portal-usage-1',
        sender: '9990033',
        citizen,
        handedOverAtMs: Date.now() - 86_400_000,
      }),
    ) as { entry: Array<{ resource: Record<string, unknown> }> };
    const dispense = medicine.entry.find((e) => e.resource.resourceType === 'MedicationDispense')!;
    dispense.resource.note = [{ text: '1 comprimido a cada 8 horas' }];
    expect((await hub.post('/fhir/r4/Bundle', medicine, 'dev-establishment-9990033')).status).toBe(201);
    await hub.hub.projector.caughtUp();

    await page.getByRole('button', { name: 'Sair' }).click();
    await page.getByLabel('CPF ou Cartão Nacional de Saúde (CNS)').fill(citizen);
    await page.getByRole('button', { name: 'Entrar' }).click();
    const vaccine = page.locator('#panel-vaccines tbody tr td').first();
    await expect.poll(() => vaccine.locator('.detail').count()).toBe(1);
    expect(await vaccine.locator('.strong').innerText()).toBe('INF4');
    expect(await vaccine.locator('.detail').innerText()).toBe('Motivo: Asma');
    // On a line of its own under the vaccine's name.
    expect(
      await vaccine
        .locator('.detail')
        .evaluate((node) => node.ownerDocument.defaultView?.getComputedStyle(node).display),
    ).toBe('block');
    await page.getByRole('tab', { name: /Medicamentos/ }).click();
    expect(await page.locator('#panel-medicines tbody tr td .detail').innerText()).toBe(
      'Como usar: 1 comprimido a cada 8 horas',
    );
    expect(pageErrors).toEqual([]);
  });

  it('serves the page with a strict Content-Security-Policy and no inline script', async () => {
    const response = await fetch(`${hub.url}/portal/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await response.text()).not.toMatch(/<script(?![^>]*\bsrc=)/);
    const missing = await fetch(`${hub.url}/portal/../package.json`);
    expect(missing.status).toBe(404);
  });
});
