import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { REGISTRATION_MAX_AGE_MS, createEstablishmentRegistry } from '@nexo/auth';
import { loadConfig, newId, openEngines } from '@nexo/runtime';
import { OTHER_SENDER, SENDER, example, riaBundle, tempDataDir } from './hub-harness.ts';
import {
  ADMIN_TOKEN,
  DISABLED_MESSAGE,
  REREGISTERED_MESSAGE,
  ROTATED_MESSAGE,
  expectRevoked,
  startSecureHub,
  startTestIssuer,
  type SecureHub,
  type TestIssuer,
} from './security-harness.ts';

describe('disabling an establishment revokes the tokens it holds (production mode)', () => {
  const data = tempDataDir();
  let issuer: TestIssuer;
  let hub: SecureHub;
  const secrets = new Map<string, string>();
  /** SENDER's token from before its disable. */
  let revoked = '';

  beforeAll(async () => {
    issuer = await startTestIssuer();
    hub = await startSecureHub(data.dir, { mode: 'production', issuer });
    secrets.set(SENDER, await hub.register(SENDER, 'UBS Centro'));
    secrets.set(OTHER_SENDER, await hub.register(OTHER_SENDER, 'UBS Norte'));
  });
  afterAll(async () => {
    await hub.stop();
    await issuer.stop();
    data.remove();
  });

  const tokenOf = (cnes: string) => hub.senderToken(cnes, secrets.get(cnes) ?? '');
  const submit = (token: string, cnes: string) =>
    hub.request({
      url: '/fhir/r4/Bundle',
      token,
      body:
        cnes === SENDER ? example('ria-r') : riaBundle({ author: cnes, identifier: `revocation-${cnes}` }),
    });
  const audit = async () => hub.hub.security.trail.log.read(0, 10_000);
  const admin = (path: string, body: unknown) => hub.request({ url: path, token: ADMIN_TOKEN, body });

  it('refuses a token that worked, right after a disable through the admin API; the other establishment keeps working', async () => {
    const token = (revoked = await tokenOf(SENDER));
    const other = await tokenOf(OTHER_SENDER);
    expect((await submit(token, SENDER)).status).toBe(201);
    expect((await submit(other, OTHER_SENDER)).status).toBe(201);

    const disabled = await admin(`/admin/v1/establishments/${SENDER}/disable`, {
      reason: 'suspected leak #4411',
    });
    expect(disabled.status).toBe(200);

    const refused = await submit(token, SENDER);
    expectRevoked(refused, DISABLED_MESSAGE);
    expect(refused.body).not.toContain('4411'); // the operator's reason stays internal
    const read = await hub.request({ url: '/establishment/v1/submissions', token });
    expectRevoked(read, DISABLED_MESSAGE);
    expect((await submit(other, OTHER_SENDER)).status).toBe(201);
    await expect(tokenOf(SENDER)).rejects.toThrow(/401/);

    const denied = (await audit()).filter((e) => e.reason?.startsWith('token revoked'));
    expect(denied.map((e) => [e.action, e.status, e.outcome, e.actor, e.reason])).toEqual([
      [
        'POST /fhir/r4/Bundle',
        401,
        'denied',
        { kind: 'establishment', id: SENDER },
        'token revoked: establishment disabled',
      ],
      [
        'GET /establishment/v1/submissions',
        401,
        'denied',
        { kind: 'establishment', id: SENDER },
        'token revoked: establishment disabled',
      ],
    ]);
    expect(denied.every((e) => e.origin.establishment === undefined)).toBe(true);
  });

  it('accepts tokens issued after a registration again, never the ones issued before the disable', async () => {
    const again = await admin('/admin/v1/establishments', { cnes: SENDER, name: 'UBS Centro (reaberta)' });
    expect(again.status).toBe(201);
    secrets.set(SENDER, (again.json() as { clientSecret: string }).clientSecret);
    const fresh = await tokenOf(SENDER);
    expect(decodeJwt(fresh)).toMatchObject({ sub: SENDER, registration: 3 });
    expect((await submit(fresh, SENDER)).status).toBe(201);

    expectRevoked(await submit(revoked, SENDER), REREGISTERED_MESSAGE);
    expect((await audit()).at(-1)).toMatchObject({
      action: 'POST /fhir/r4/Bundle',
      status: 401,
      outcome: 'denied',
      actor: { kind: 'establishment', id: SENDER },
      reason: 'token revoked: establishment registered again since it was issued',
    });
  });

  it(`refuses within ${REGISTRATION_MAX_AGE_MS} ms a disable written by another process (the CLI) to the same event store`, async () => {
    const token = await tokenOf(OTHER_SENDER);
    const mine = await tokenOf(SENDER);
    expect((await submit(token, OTHER_SENDER)).status).toBe(201); // its registration is now cached

    // What `pnpm establishment:disable` does: its own engines and registry over the data folder.
    const cli = await openEngines(loadConfig({ NEXO_DATA_DIR: data.dir }));
    const registry = createEstablishmentRegistry({ store: cli.store, clock: () => new Date(), newId });
    try {
      await registry.disable(OTHER_SENDER, 'closed', 'admin:cli');
      const disabledAt = performance.now();
      let refused: Awaited<ReturnType<typeof submit>> | undefined;
      while (refused === undefined && performance.now() - disabledAt < REGISTRATION_MAX_AGE_MS + 1_000) {
        const response = await submit(token, OTHER_SENDER);
        if (response.status === 201) await new Promise((resolve) => setTimeout(resolve, 50));
        else refused = response;
      }
      const elapsed = performance.now() - disabledAt;
      expect(refused, 'still accepted a second after the bound').toBeDefined();
      expectRevoked(refused!, DISABLED_MESSAGE);
      expect(elapsed).toBeLessThanOrEqual(REGISTRATION_MAX_AGE_MS + 500);
      expect((await submit(mine, SENDER)).status).toBe(201);

      // Registered again by the other process: a token issued now works at once, the old one never.
      const issued = await registry.register(OTHER_SENDER, 'UBS Norte', 'admin:cli');
      secrets.set(OTHER_SENDER, issued.clientSecret);
      expect((await submit(await tokenOf(OTHER_SENDER), OTHER_SENDER)).status).toBe(201);
      expectRevoked(await submit(token, OTHER_SENDER), REREGISTERED_MESSAGE);
    } finally {
      await cli.close();
    }
    const denied = (await audit()).filter(
      (e) => e.actor.id === OTHER_SENDER && e.reason?.startsWith('token revoked'),
    );
    expect(denied.map((e) => [e.status, e.reason])).toEqual([
      [401, 'token revoked: establishment disabled'],
      [401, 'token revoked: establishment registered again since it was issued'],
    ]);
  });

  it('refuses the tokens obtained with a secret at once when it is rotated; a token of the new secret works', async () => {
    const before = await tokenOf(SENDER);
    expect((await submit(before, SENDER)).status).toBe(201);
    const rotated = await admin(`/admin/v1/establishments/${SENDER}/secret`, {});
    expect(rotated.status).toBe(200);
    secrets.set(SENDER, (rotated.json() as { clientSecret: string }).clientSecret);

    expectRevoked(await submit(before, SENDER), ROTATED_MESSAGE);
    const after = await tokenOf(SENDER);
    expect(decodeJwt(after)).toMatchObject({ sub: SENDER, registration: 3, credential: 4 });
    expect((await submit(after, SENDER)).status).toBe(201);
    expect(
      (await audit()).filter((e) => e.reason === 'token revoked: secret rotated since it was issued'),
    ).toEqual([
      expect.objectContaining({
        action: 'POST /fhir/r4/Bundle',
        status: 401,
        actor: { kind: 'establishment', id: SENDER },
      }),
    ]);
  });

  it('keeps an intact audit chain', async () => {
    expect(await hub.hub.security.trail.log.verify()).toMatchObject({ ok: true });
  });
});
