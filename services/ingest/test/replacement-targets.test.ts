import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteEventStore } from '@nexo/eventstore';
import { openSqliteReadStore } from '@nexo/readstore';
import { createDocumentValidator } from '@nexo/fhir';
import { installFhirEdge, newId } from '@nexo/runtime';
import { ingestRoutes } from '../src/index.ts';

const SENDER = '9990011';
const RELATES_TO = 'Bundle.entry[0].resource.relatesTo[0].targetReference.reference';

/** The national RIA example under `identifier`, optionally replacing or cancelling `replaces`. */
const riaBundle = (
  identifier: string,
  options: { lot?: string; replaces?: string; cancels?: boolean } = {},
) => {
  const bundle = JSON.parse(
    readFileSync(new URL('../../../../shared/rnds/examples/ria-r.json', import.meta.url), 'utf8'),
  ) as { identifier: { value: string }; entry: Array<{ resource: Record<string, unknown> }> };
  bundle.identifier.value = identifier;
  const [composition, immunization] = bundle.entry.map((e) => e.resource);
  if (options.lot) immunization!.lotNumber = options.lot;
  if (options.replaces)
    composition!.relatesTo = [
      { code: 'replaces', targetReference: { reference: `Composition/${options.replaces}` } },
    ];
  if (options.cancels) composition!.status = 'entered-in-error';
  return bundle;
};

/** A refusal as the sender reads it: one issue, its code, the element and the message. */
const refusal = (status: number, issueType: string, code: string, display: string, message: string) => ({
  status,
  type: 'application/fhir+json; charset=utf-8',
  location: undefined,
  body: {
    resourceType: 'OperationOutcome',
    issue: [
      {
        severity: 'error',
        code: issueType,
        details: {
          coding: [{ system: 'https://nexo.saude.example/fhir/CodeSystem/nexo-error', code, display }],
        },
        diagnostics: message,
        expression: [RELATES_TO],
      },
    ],
  },
});
const cancelled = (message: string) =>
  refusal(
    409,
    'conflict',
    'NEXO_ERR_RECORD_CANCELLED',
    'the record to replace or cancel was cancelled',
    message,
  );

/**
 * A replacement or cancellation that may not be made says what became of the record it names:
 * a cancelled record is answered as cancelled (409 NEXO_ERR_RECORD_CANCELLED), never as "replaced,
 * fetch the current version", since a cancelled record has no current version.
 */
describe('refused replacements and cancellations over HTTP', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nexo-ingest-'));
  const events = openSqliteEventStore({ file: join(dir, 'events.sqlite') });
  const readStore = openSqliteReadStore({ file: ':memory:' });
  let app: FastifyInstance;
  beforeAll(async () => {
    app = Fastify();
    installFhirEdge(app);
    await app.register(
      ingestRoutes({
        store: events.store,
        readStore,
        validator: createDocumentValidator(),
        registry: { lookUp: () => Promise.reject(new Error('not called for a CNES author')) },
        clock: () => new Date(),
        newId,
        auth: {
          establishment: async () => SENDER,
          citizen: () => Promise.reject(new Error('not called')),
          annotate: () => undefined,
        },
      }),
    );
  });
  afterAll(async () => {
    await app.close();
    await readStore.close();
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = async (bundle: unknown) => {
    const answer = await app.inject({
      method: 'POST',
      url: '/fhir/r4/Bundle',
      headers: { 'content-type': 'application/fhir+json' },
      payload: JSON.stringify(bundle),
    });
    return {
      status: answer.statusCode,
      type: answer.headers['content-type'],
      body: answer.json<unknown>(),
      location: answer.headers.location,
    };
  };
  const accepted = async (bundle: unknown): Promise<string> => {
    const answer = await post(bundle);
    expect(answer.status).toBe(201);
    return String(answer.location).split('/').at(-1)!;
  };

  it('replacing or cancelling again a cancelled record is 409 NEXO_ERR_RECORD_CANCELLED', async () => {
    const original = await accepted(riaBundle('cancelled-1', { lot: 'WRONG' }));
    const cancellation = await accepted(
      riaBundle('cancelled-1', { lot: 'WRONG', replaces: original, cancels: true }),
    );

    expect(await post(riaBundle('cancelled-1', { lot: 'RIGHT', replaces: original }))).toEqual(
      cancelled(
        `record ${original} is no longer current: it was cancelled by record ${cancellation}. A cancelled record cannot be replaced; send the corrected content as a new document, under a new Bundle.identifier.`,
      ),
    );
    expect(await post(riaBundle('cancelled-1', { lot: 'OTHER', replaces: original, cancels: true }))).toEqual(
      cancelled(
        `record ${original} is no longer current: it was cancelled by record ${cancellation}. The record is already cancelled; there is nothing left to cancel.`,
      ),
    );
    expect(await post(riaBundle('cancelled-1', { lot: 'RIGHT', replaces: cancellation }))).toEqual(
      cancelled(
        `record ${cancellation} is the cancellation of record ${original}. A cancelled record cannot be replaced; send the corrected content as a new document, under a new Bundle.identifier.`,
      ),
    );
  });

  it('cancelling a replaced record is 409 NEXO_ERR_STALE_REPLACEMENT naming the version to cancel', async () => {
    const original = await accepted(riaBundle('replaced-1', { lot: 'WRONG' }));
    const replacement = await accepted(riaBundle('replaced-1', { lot: 'RIGHT', replaces: original }));
    expect(await post(riaBundle('replaced-1', { lot: 'WRONG', replaces: original, cancels: true }))).toEqual(
      refusal(
        409,
        'conflict',
        'NEXO_ERR_STALE_REPLACEMENT',
        'the record to replace or cancel is not the current version',
        `record ${original} is no longer current: it was replaced by record ${replacement}, the current version. Cancel the current version instead (relatesTo targetReference "Composition/${replacement}").`,
      ),
    );
  });

  it('a replacement naming a record that does not exist is 422 NEXO_ERR_UNKNOWN_TARGET', async () => {
    const missing = newId();
    expect(await post(riaBundle('never-used-1', { replaces: missing }))).toEqual(
      refusal(
        422,
        'processing',
        'NEXO_ERR_UNKNOWN_TARGET',
        'the record to replace or cancel does not exist',
        `no document was accepted under this Bundle.identifier, so it holds no record ${missing} to replace. A replacement must carry the Bundle.identifier of the record it replaces and name that record's id (the last segment of the Location Nexo returned for it).`,
      ),
    );
  });
});
