import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLECTIONS, type RecordEntry } from '@nexo/domain';
import {
  OTHER_SENDER,
  SENDER,
  recordIdOf,
  riaBundle,
  startHub,
  tempDataDir,
  type RunningHub,
} from './hub-harness.ts';

const STATUS_SYSTEM = 'https://nexo.saude.example/fhir/CodeSystem/record-status';
const senderToken = `dev-establishment-${SENDER}`;

/** What `GET /fhir/r4/Bundle/{id}` answers: the Bundle as posted, its id, and the status as a tag. */
const storedBundle = (
  posted: Record<string, unknown>,
  id: string,
  receivedAt: string,
  status: { code: string; display: string },
) => ({
  ...posted,
  id,
  meta: {
    ...(posted.meta as object),
    lastUpdated: receivedAt,
    tag: [{ system: STATUS_SYSTEM, ...status }],
  },
});

describe('GET /fhir/r4/Bundle/{id}: each accepted version, read back from the log', () => {
  const data = tempDataDir();
  let hub: RunningHub;
  const posted = {
    original: riaBundle({ identifier: 'read-1', lot: 'FIRST' }),
    replacement: riaBundle({ identifier: 'read-1', lot: 'SECOND' }),
    cancellation: riaBundle({ identifier: 'read-1', lot: 'SECOND', status: 'entered-in-error' }),
  };
  const ids = { original: '', replacement: '', cancellation: '' };
  const receivedAt = new Map<string, string>();

  beforeAll(async () => {
    hub = await startHub(data.dir);
    ids.original = recordIdOf(await hub.post('/fhir/r4/Bundle', posted.original));
    posted.replacement = riaBundle({ identifier: 'read-1', lot: 'SECOND', replaces: ids.original });
    ids.replacement = recordIdOf(await hub.post('/fhir/r4/Bundle', posted.replacement));
    posted.cancellation = riaBundle({
      identifier: 'read-1',
      lot: 'SECOND',
      replaces: ids.replacement,
      status: 'entered-in-error',
    });
    ids.cancellation = recordIdOf(await hub.post('/fhir/r4/Bundle', posted.cancellation));
    await hub.hub.projector.caughtUp();
    const list = (await (await hub.get('/establishment/v1/submissions', senderToken)).json()) as {
      submissions: Array<{ recordId: string; receivedAt: string }>;
    };
    for (const s of list.submissions) receivedAt.set(s.recordId, s.receivedAt);
  });
  afterAll(async () => {
    await hub.stop();
    data.remove();
  });

  const read = async (id: string, token = senderToken) => {
    const response = await hub.get(`/fhir/r4/Bundle/${id}`, token);
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      body: await response.json(),
    };
  };

  it('answers a replaced original as posted, tagged "replaced by" its replacement', async () => {
    expect(await read(ids.original)).toEqual({
      status: 200,
      type: 'application/fhir+json; charset=utf-8',
      body: storedBundle(posted.original, ids.original, receivedAt.get(ids.original) ?? '', {
        code: 'replaced',
        display: `replaced by ${ids.replacement}`,
      }),
    });
  });

  it('answers a cancelled replacement and the cancellation itself, each with its own document', async () => {
    expect((await read(ids.replacement)).body).toEqual(
      storedBundle(posted.replacement, ids.replacement, receivedAt.get(ids.replacement) ?? '', {
        code: 'cancelled',
        display: `cancelled by ${ids.cancellation}`,
      }),
    );
    expect((await read(ids.cancellation)).body).toEqual(
      storedBundle(posted.cancellation, ids.cancellation, receivedAt.get(ids.cancellation) ?? '', {
        code: 'cancelled',
        display: `cancels ${ids.replacement}`,
      }),
    );
  });

  const listed = async () =>
    (
      (await (await hub.get('/establishment/v1/submissions', senderToken)).json()) as {
        submissions: unknown[];
      }
    ).submissions;
  const summary = (id: string, kind: string, status: string, links: Record<string, string>) => ({
    recordId: id,
    recordType: 'RIA',
    bundleIdentifier: posted.original.identifier,
    receivedAt: receivedAt.get(id),
    kind,
    status,
    ...links,
  });

  it('lists the cancellation as cancelled, like the version it cancels: nothing of the record is current', async () => {
    expect(await listed()).toEqual([
      summary(ids.cancellation, 'cancellation', 'cancelled', { replaces: ids.replacement }),
      summary(ids.replacement, 'replacement', 'cancelled', {
        replaces: ids.original,
        replacedBy: ids.cancellation,
      }),
      summary(ids.original, 'original', 'replaced', { replacedBy: ids.replacement }),
    ]);
  });

  it('reads a cancellation projected as current by an older version of the read model as cancelled', async () => {
    const { readStore } = hub.hub.engines;
    const entry = await readStore.get<RecordEntry>(COLLECTIONS.records, ids.cancellation);
    if (!entry) throw new Error('the cancellation has no entry');
    await readStore.commit([
      {
        kind: 'put',
        collection: COLLECTIONS.records,
        id: ids.cancellation,
        expectedRevision: entry.revision,
        body: { ...entry.body, status: 'current' },
      },
    ]);
    expect((await listed())[0]).toEqual(
      summary(ids.cancellation, 'cancellation', 'cancelled', { replaces: ids.replacement }),
    );
    expect((await read(ids.cancellation)).body).toEqual(
      storedBundle(posted.cancellation, ids.cancellation, receivedAt.get(ids.cancellation) ?? '', {
        code: 'cancelled',
        display: `cancels ${ids.replacement}`,
      }),
    );
  });

  it("answers another establishment's record exactly like a missing one: 404", async () => {
    const other = `dev-establishment-${OTHER_SENDER}`;
    const missingId = '01a20938-0000-7000-8000-000000000000';
    const notFound = (id: string) => ({
      status: 404,
      type: 'application/fhir+json; charset=utf-8',
      body: {
        resourceType: 'OperationOutcome',
        issue: [
          {
            severity: 'error',
            code: 'not-found',
            details: { coding: [expect.objectContaining({ code: 'NEXO_ERR_NOT_FOUND' })] },
            diagnostics: `no record ${id} was sent by this establishment.`,
          },
        ],
      },
    });
    expect(await read(ids.original, other)).toEqual(notFound(ids.original));
    expect(await read(missingId, other)).toEqual(notFound(missingId));
  });

  it('ignores a document left in the entry by an older version of the read model', async () => {
    const { readStore } = hub.hub.engines;
    const entry = await readStore.get<RecordEntry>(COLLECTIONS.records, ids.original);
    if (!entry) throw new Error('the original has no entry');
    await readStore.commit([
      {
        kind: 'put',
        collection: COLLECTIONS.records,
        id: ids.original,
        expectedRevision: entry.revision,
        body: { ...entry.body, document: { resourceType: 'Bundle', stale: true } },
      },
    ]);
    expect((await read(ids.original)).body).toEqual(
      storedBundle(posted.original, ids.original, receivedAt.get(ids.original) ?? '', {
        code: 'replaced',
        display: `replaced by ${ids.replacement}`,
      }),
    );
  });
});
