import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DestinationStream } from 'pino';
import { afterAll, beforeAll } from 'vitest';
import { createLogger } from '@nexo/runtime';
import type { RiaFacts } from '@nexo/testkit';
import { createHub, type Hub } from '../src/index.ts';

export const SENDER = '9990011';
export const OTHER_SENDER = '1234567';
export const CITIZEN_CNS = '266764941990004';
export const OTHER_CNS = '203212962400006';
/** The identity feed's secret: 32 characters at least, as production requires. */
export const REGISTRY_TOKEN = 'test-registry-token-0123456789abcdef';

/** A dose of influenza under the Especial strategy, given for asthma (CID-10 J45): an RIA-R with its reason. */
export const especialDose = (identifier: string, citizen: string = CITIZEN_CNS): RiaFacts => ({
  identifier,
  sender: SENDER,
  citizen,
  occurredAtMs: Date.parse('2025-03-10T12:30:00Z'),
  vaccine: '77',
  dose: '8',
  lot: 'INF25B031',
  manufacturer: '152',
  vaccinator: '203212962400006',
  site: '2',
  route: '10890',
  group: '000201',
  reason: 'J45',
});

const EXAMPLES = new URL('../../../../shared/rnds/examples/', import.meta.url);
export const example = (name: 'ria-r' | 'rel-qualitativo' | 'rdm'): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`${name}.json`, EXAMPLES), 'utf8')) as Record<string, unknown>;

/** Changes to the shared RIA example that tests need: another identifier, lot, citizen, relatesTo. */
export const riaBundle = (
  options: {
    identifier?: string;
    lot?: string;
    cns?: string;
    author?: string;
    replaces?: string;
    status?: string;
  } = {},
): Record<string, unknown> => {
  const bundle = example('ria-r') as {
    identifier: { value: string };
    entry: Array<{ resource: Record<string, unknown> }>;
  };
  const composition = bundle.entry[0]!.resource as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const immunization = bundle.entry[1]!.resource as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  if (options.identifier) bundle.identifier.value = options.identifier;
  if (options.lot) immunization.lotNumber = options.lot;
  if (options.cns) {
    composition.subject.identifier.value = options.cns;
    immunization.patient.identifier.value = options.cns;
  }
  if (options.author) composition.author[0].identifier.value = options.author;
  if (options.replaces)
    composition.relatesTo = [
      { code: 'replaces', targetReference: { reference: `Composition/${options.replaces}` } },
    ];
  if (options.status) composition.status = options.status;
  return bundle;
};

export interface RunningHub {
  readonly url: string;
  readonly hub: Hub;
  readonly logLines: string[];
  post(path: string, body: unknown, token?: string, contentType?: string): Promise<Response>;
  get(path: string, token: string): Promise<Response>;
  stop(): Promise<void>;
}

/** A hub on a real port over a data folder; start it again on the same folder to test restarts. */
export const startHub = async (
  dataDir: string,
  options: { bodyLimit?: number; logLines?: string[]; minFreeDiskMb?: number; publicUrl?: string } = {},
): Promise<RunningHub> => {
  const logLines = options.logLines ?? [];
  const destination = { write: (line: string) => void logLines.push(line) } as unknown as DestinationStream;
  const logger = createLogger({ level: 'info', name: 'test', destination });
  const hub = await createHub(
    {
      dataDir,
      bodyLimit: options.bodyLimit ?? 1_048_576,
      identityFeedToken: REGISTRY_TOKEN,
      ...(options.minFreeDiskMb === undefined ? {} : { minFreeDiskMb: options.minFreeDiskMb }),
      ...(options.publicUrl === undefined ? {} : { publicUrl: options.publicUrl }),
    },
    { logger },
  );
  await hub.app.listen({ host: '127.0.0.1', port: 0 });
  const address = hub.app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    url,
    hub,
    logLines,
    post: (path, body, token = `dev-establishment-${SENDER}`, contentType = 'application/fhir+json') =>
      fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': contentType, ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    get: (path, token) => fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } }),
    stop: () => hub.close(),
  };
};

/**
 * A hub for the tests of one describe block, in a data folder of its own: `start` runs before
 * them, the hub is stopped and its folder removed after. Call it in the describe block; the
 * accessor gives the running hub inside a test or a hook.
 */
export const perSuite = <H extends { stop(): Promise<void> }>(
  start: (dataDir: string) => Promise<H>,
): (() => H) => {
  const data = tempDataDir();
  let running: H | undefined;
  beforeAll(async () => {
    running = await start(data.dir);
  });
  afterAll(async () => {
    await running?.stop();
    data.remove();
  });
  return () => {
    if (running === undefined) throw new Error('the hub starts in beforeAll; use it inside a test');
    return running;
  };
};

/** The plain hub (`startHub`) for one describe block. */
export const hubPerSuite = (): (() => RunningHub) => perSuite((dataDir) => startHub(dataDir));

export const tempDataDir = (): { dir: string; remove: () => void } => {
  const dir = mkdtempSync(join(tmpdir(), 'nexo-hub-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
};

export const citizenToken = (cns: string = CITIZEN_CNS) => `dev-citizen-cns-${cns}`;

export const recordIdOf = (response: Response): string =>
  (response.headers.get('location') ?? '').split('/').at(-1) ?? '';

/** The same document about another citizen: every occurrence of the subject's number replaced. */
export const aboutCitizen = (
  bundle: Record<string, unknown>,
  from: string,
  to: string,
  identifier?: string,
) => {
  const moved = JSON.parse(JSON.stringify(bundle).replaceAll(from, to)) as Record<string, unknown> & {
    identifier: { value: string };
  };
  if (identifier) moved.identifier.value = identifier;
  return moved;
};
