import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SENDER,
  citizenToken,
  example,
  riaBundle,
  startHub,
  tempDataDir,
  type RunningHub,
} from './hub-harness.ts';

/** One sample of a Prometheus text exposition, by metric name and exact label set. */
const sample = (text: string, name: string, labels: Record<string, string> = {}): number | undefined => {
  const wanted = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .sort()
    .join(',');
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const got = (match[2] ?? '').split(',').filter(Boolean).sort().join(',');
    if (got === wanted) return Number(match[3]);
  }
  return undefined;
};

describe('operating the hub: health, readiness, metrics, API description', () => {
  const data = tempDataDir();
  let hub: RunningHub;

  beforeAll(async () => {
    hub = await startHub(data.dir);
  });
  afterAll(async () => {
    await hub.stop();
    data.remove();
  });

  it('/health is live and /ready checks the engines and the projector', async () => {
    const health = await fetch(`${hub.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'pass' });
    const ready = await fetch(`${hub.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'pass',
      checks: {
        'event store': 'pass',
        'read models': 'pass',
        projector: 'pass',
        'disk space': 'pass',
        'dead letters': 'pass',
      },
    });
  });

  it('/metrics counts submissions by outcome and record type, ingest latency, errors and projection lag', async () => {
    expect((await hub.post('/fhir/r4/Bundle', example('ria-r'))).status).toBe(201);
    expect((await hub.post('/fhir/r4/Bundle', example('ria-r'))).status).toBe(201);
    expect(
      (await hub.post('/fhir/r4/Bundle', example('rel-qualitativo'), 'dev-establishment-9990022')).status,
    ).toBe(201);
    const future = riaBundle({ identifier: 'metrics-future' }) as {
      entry: Array<{ resource: Record<string, unknown> }>;
    };
    future.entry[1]!.resource.occurrenceDateTime = '2999-01-01T10:00:00-03:00';
    expect((await hub.post('/fhir/r4/Bundle', future)).status).toBe(422);
    expect((await hub.get('/citizen/v1/me/immunizations', 'dev-citizen-cns-1')).status).toBe(401);
    await hub.hub.projector.caughtUp();

    const response = await fetch(`${hub.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    const submissions = (outcome: string, recordType: string) =>
      sample(text, 'nexo_ingest_submissions_total', { outcome, record_type: recordType });
    expect(submissions('created', 'RIA')).toBe(1);
    // A resend is counted under the resent document's record type.
    expect(submissions('resend', 'RIA')).toBe(1);
    expect(submissions('resend', 'unknown')).toBeUndefined();
    expect(submissions('created', 'REL')).toBe(1);
    expect(submissions('rejected', 'unknown')).toBe(1);
    expect(sample(text, 'nexo_ingest_duration_seconds_count', { status: '201' })).toBe(3);
    expect(sample(text, 'nexo_ingest_duration_seconds_count', { status: '422' })).toBe(1);
    expect(sample(text, 'nexo_http_errors_total', { status: '422', code: 'NEXO_ERR_VALIDATION_DATE' })).toBe(
      1,
    );
    expect(sample(text, 'nexo_http_errors_total', { status: '401', code: 'NEXO_ERR_UNAUTHENTICATED' })).toBe(
      1,
    );
    expect(
      sample(text, 'nexo_http_requests_total', { method: 'POST', route: '/fhir/r4/Bundle', status: '201' }),
    ).toBe(3);
    const head = await hub.hub.engines.store.headPosition();
    expect(sample(text, 'nexo_event_log_head_position')).toBe(head);
    expect(sample(text, 'nexo_projector_checkpoint_position')).toBe(head);
    expect(sample(text, 'nexo_projection_lag_events')).toBe(0);
    expect(sample(text, 'nexo_projection_lag_seconds')).toBe(0);
    expect(sample(text, 'nexo_outbox_depth')).toBe(await hub.hub.engines.outbox.depth());
    expect(sample(text, 'nexo_dead_letters', { group: 'projector' })).toBe(0);
    expect(sample(text, 'nexo_data_dir_free_bytes')).toBeGreaterThan(0);
    expect(text).toContain('process_cpu_seconds_total');
  });

  it('/metrics counts the reads of each embedded SQLite file by where they ran, never naming a path', async () => {
    const before = await (await fetch(`${hub.url}/metrics`)).text();
    // A resend (it leaves the submissions list as it was) and a card.
    expect((await hub.post('/fhir/r4/Bundle', example('ria-r'))).status).toBe(201);
    await hub.hub.projector.caughtUp();
    expect((await hub.get('/citizen/v1/me/immunizations', citizenToken())).status).toBe(200);

    const text = await (await fetch(`${hub.url}/metrics`)).text();
    const reads = (file: string, where: string, from = text) =>
      sample(from, 'nexo_sqlite_reads_total', { file, where }) ?? Number.NaN;
    // Deciding on the resend read its stream from the log; the card read the read models. Where
    // they ran depends on how fast the file answered lately (a loaded machine sends reads of even
    // a test's small files to the reader threads), so the two counts are compared together.
    const both = (file: string, from = text) => reads(file, 'inline', from) + reads(file, 'thread', from);
    for (const file of ['event_log', 'read_models']) {
      expect(both(file)).toBeGreaterThan(both(file, before));
    }
    const labelled = text.split('\n').filter((line) => line.startsWith('nexo_sqlite_reads_total{'));
    expect(labelled.map((line) => line.replace(/\}.*/, '}')).sort()).toEqual([
      'nexo_sqlite_reads_total{file="event_log",where="inline"}',
      'nexo_sqlite_reads_total{file="event_log",where="thread"}',
      'nexo_sqlite_reads_total{file="read_models",where="inline"}',
      'nexo_sqlite_reads_total{file="read_models",where="thread"}',
    ]);
  });

  it('/docs serves Swagger UI and /docs/json the OpenAPI description of the citizen and establishment APIs', async () => {
    const ui = await fetch(`${hub.url}/docs`, { headers: { accept: 'text/html' } });
    expect(ui.status).toBe(200);
    expect(ui.headers.get('content-type')).toMatch(/^text\/html/);
    const spec = (await (await fetch(`${hub.url}/docs/json`)).json()) as {
      openapi: string;
      paths: Record<
        string,
        Record<string, { tags?: string[]; security?: unknown[]; responses: Record<string, unknown> }>
      >;
    };
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/citizen/v1/me/immunizations',
        '/citizen/v1/me/lab-results',
        '/citizen/v1/me/dispensations',
        '/citizen/v1/me/timeline',
        '/establishment/v1/submissions',
        '/establishment/v1/rejections',
        '/fhir/r4/Bundle',
        '/fhir/r4/Bundle/{id}',
        '/fhir/r4/Bundle/$validate',
        '/fhir/r4/metadata',
        '/auth/token',
      ]),
    );
    expect(Object.keys(spec.paths).some((p) => p.startsWith('/portal'))).toBe(false);
    const card = spec.paths['/citizen/v1/me/immunizations']!.get!;
    expect(card.tags).toEqual(['citizen']);
    expect(card.security).toEqual([{ citizenToken: [] }]);
    expect(Object.keys(card.responses)).toEqual(['200', '401', '4XX', '5XX']);
    expect(spec.paths['/establishment/v1/submissions']!.get!.security).toEqual([{ establishmentToken: [] }]);
    expect(spec.paths['/fhir/r4/metadata']!.get!.security).toBeUndefined();
    // The APIs whose answers are all described here; the token, admin and identity-feed routes are
    // checked in api-description-auth.test.ts, and the operations endpoints in docs/operations.md.
    const apis = /^\/(citizen|establishment|fhir|api\/fhir|public)\//;
    const undescribed = Object.entries(spec.paths)
      .filter(([path]) => apis.test(path))
      .flatMap(([path, operations]) =>
        Object.entries(operations)
          .filter(([, operation]) => Object.keys(operation.responses).join() === '200')
          .map(([method]) => `${method.toUpperCase()} ${path}`),
      );
    expect(undescribed).toEqual([]);
    const opening = spec.paths['/citizen/v1/me/correction-requests']!.post!;
    expect(Object.keys(opening.responses)).toEqual(['201', '401', '4XX', '5XX']);
    expect(
      Object.keys(spec.paths['/establishment/v1/correction-requests/{protocol}/answer']!.post!.responses),
    ).toEqual(['200', '401', '4XX', '5XX']);
  });

  it('/docs/static answers a path outside it, an unsatisfiable range and a failed precondition as OperationOutcomes, not 500', async () => {
    const { port } = new URL(hub.url);
    // node:http sends the path as written: fetch would resolve the dot segments first.
    const get = (path: string, headers: Record<string, string> = {}) =>
      new Promise<{ status: number; type: string | undefined; body: string }>((resolve, reject) => {
        request({ host: '127.0.0.1', port, path, headers }, (response) => {
          let body = '';
          response.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, type: response.headers['content-type'], body }),
          );
        })
          .on('error', reject)
          .end();
      });
    const asset = '/docs/static/swagger-ui.css';
    expect((await get(asset)).status).toBe(200);
    const lines = hub.logLines.length;
    const cases: Array<[string, Record<string, string>, number, string]> = [
      ['/docs/static/../../package.json', {}, 404, 'NEXO_ERR_NOT_FOUND'],
      ['/docs/static/%2e%2e/%2e%2e/package.json', {}, 404, 'NEXO_ERR_NOT_FOUND'],
      ['/docs/static/..%5c..%5cpackage.json', {}, 404, 'NEXO_ERR_NOT_FOUND'],
      ['/docs/static/..%2f..%2fpackage.json', {}, 404, 'NEXO_ERR_NOT_FOUND'],
      ['/docs/static/no-such-file.css', {}, 404, 'NEXO_ERR_NOT_FOUND'],
      [asset, { range: 'bytes=999999999-' }, 416, 'NEXO_ERR_RANGE'],
      [asset, { 'if-match': '"nope"' }, 412, 'NEXO_ERR_PRECONDITION'],
      [asset, { 'if-unmodified-since': 'Tue, 01 Jan 1980 00:00:00 GMT' }, 412, 'NEXO_ERR_PRECONDITION'],
    ];
    for (const [path, headers, status, code] of cases) {
      const answer = await get(path, headers);
      const label = `${path} ${JSON.stringify(headers)}`;
      expect(answer.status, label).toBe(status);
      expect(answer.type, label).toBe('application/fhir+json; charset=utf-8');
      expect(JSON.parse(answer.body), label).toMatchObject({
        resourceType: 'OperationOutcome',
        issue: [{ details: { coding: [{ code }] } }],
      });
      expect(answer.body, label).not.toContain('"name"');
    }
    expect(hub.logLines.slice(lines).join('\n')).not.toContain('unhandled error');
  });

  it('response schemas serialise the views without dropping anything a view carries', async () => {
    await hub.hub.projector.caughtUp();
    const card = (await (await hub.get('/citizen/v1/me/immunizations', citizenToken())).json()) as {
      immunizations: Array<{ immunization: Record<string, unknown> }>;
    };
    expect(Object.keys(card.immunizations[0]!.immunization).sort()).toEqual(
      expect.arrayContaining([
        'dose',
        'lotNumber',
        'manufacturer',
        'occurrence',
        'recordType',
        'route',
        'site',
        'vaccine',
      ]),
    );
    const submissions = (await (
      await hub.get('/establishment/v1/submissions', `dev-establishment-${SENDER}`)
    ).json()) as {
      submissions: Array<Record<string, unknown>>;
    };
    expect(submissions.submissions[0]).toEqual({
      recordId: expect.any(String),
      recordType: 'RIA',
      bundleIdentifier: example('ria-r').identifier,
      receivedAt: expect.any(String),
      kind: 'original',
      status: 'current',
    });
  });
});
