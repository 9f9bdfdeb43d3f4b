/**
 * `PORT=0`: the hub listens on a free port, and says which; the links it answers with name that
 * port, not 0, unless NEXO_PUBLIC_URL says where the hub is reached.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SENDER, riaBundle, tempDataDir } from './hub-harness.ts';
import { spawnHub, type HubProcess } from './hub-process.ts';

const locationOfPost = async (url: string): Promise<string | null> => {
  const answer = await fetch(`${url}/fhir/r4/Bundle`, {
    method: 'POST',
    headers: { 'content-type': 'application/fhir+json', authorization: `Bearer dev-establishment-${SENDER}` },
    body: JSON.stringify(riaBundle({ identifier: `any-port-${Date.now()}` })),
  });
  expect(answer.status).toBe(201);
  return answer.headers.get('location');
};

describe('a hub started on PORT=0', () => {
  const cleanup: Array<() => void> = [];
  afterEach(() => {
    for (const step of cleanup.splice(0)) step();
  });
  const start = (env: Record<string, string> = {}): HubProcess => {
    const data = tempDataDir();
    const hub = spawnHub(`${data.dir}/data`, env);
    cleanup.push(data.remove, () => hub.child.kill('SIGKILL'));
    return hub;
  };

  it('answers with links to the port it listens on, and names it in its start line', async () => {
    const hub = start();
    const url = await hub.listening();
    const port = new URL(url).port;
    expect(port).not.toBe('0');
    expect(await locationOfPost(url)).toMatch(new RegExp(`^http://localhost:${port}/fhir/r4/Bundle/`));
    expect(hub.stdout()).toContain(`Nexo listening on http://127.0.0.1:${port} `);
  }, 90_000);

  it('keeps NEXO_PUBLIC_URL for its links when one is set', async () => {
    const hub = start({ NEXO_PUBLIC_URL: 'https://nexo.saude.example' });
    const url = await hub.listening();
    expect(await locationOfPost(url)).toMatch(/^https:\/\/nexo\.saude\.example\/fhir\/r4\/Bundle\//);
  }, 90_000);
});
