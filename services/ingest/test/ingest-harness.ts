import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { openSqliteEventStore, type StoredEvent } from '@nexo/eventstore';
import { openSqliteReadStore, type ReadModelsCaughtUp, type ReadStore } from '@nexo/readstore';
import {
  NEXO_ERRORS,
  createDocumentValidator,
  type DocumentValidator,
  type NexoErrorCode,
  type NexoErrorSpec,
} from '@nexo/fhir';
import { installFhirEdge, newId } from '@nexo/runtime';
import { COLLECTIONS, recordIndexChanges, type AnyDomainEvent } from '@nexo/domain';
import { ingestRoutes } from '../src/index.ts';

export const SENDER = '9990011';
export const OTHER_SENDER = '1234567';
export const RELATES_TO = 'Bundle.entry[0].resource.relatesTo[0].targetReference.reference';

interface RiaBundle {
  timestamp: string;
  meta: { lastUpdated: string };
  identifier: { value: string };
  entry: Array<{ fullUrl: string; resource: Record<string, any> }>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** The national RIA example under `identifier`, optionally by another author, replacing or cancelling `replaces`. */
export const riaBundle = (
  identifier: string,
  options: { lot?: string; replaces?: string; cancels?: boolean; author?: string } = {},
): RiaBundle => {
  const bundle = JSON.parse(
    readFileSync(new URL('../../../../shared/rnds/examples/ria-r.json', import.meta.url), 'utf8'),
  ) as RiaBundle;
  bundle.identifier.value = identifier;
  const [composition, immunization] = bundle.entry.map((e) => e.resource);
  if (options.lot) immunization!.lotNumber = options.lot;
  if (options.author) composition!.author[0].identifier.value = options.author;
  if (options.replaces)
    composition!.relatesTo = [
      { code: 'replaces', targetReference: { reference: `Composition/${options.replaces}` } },
    ];
  if (options.cancels) composition!.status = 'entered-in-error';
  return bundle;
};

/**
 * The same document as the sender's software writes it again on a retry: a new Bundle.timestamp
 * and meta.lastUpdated, new urn:uuid fullUrls (and the Composition's reference to the Immunization).
 */
export const reserialised = (bundle: RiaBundle, at: string): RiaBundle => {
  const again = structuredClone(bundle);
  again.timestamp = at;
  again.meta.lastUpdated = at;
  const renamed = new Map(again.entry.map((e) => [e.fullUrl, `urn:uuid:${randomUUID()}`]));
  for (const entry of again.entry) entry.fullUrl = renamed.get(entry.fullUrl) ?? entry.fullUrl;
  for (const section of again.entry[0]!.resource.section as Array<{ entry: Array<{ reference: string }> }>)
    for (const ref of section.entry) ref.reference = renamed.get(ref.reference) ?? ref.reference;
  return again;
};

/** A refusal as the sender reads it: one issue, its code, the element and the message. */
export const refusal = (status: number, code: NexoErrorCode, message: string, expression = RELATES_TO) => {
  const { issueType, title, ehr }: NexoErrorSpec = NEXO_ERRORS[code];
  return {
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
            coding: [
              { system: 'https://nexo.saude.example/fhir/CodeSystem/nexo-error', code, display: title },
            ],
          },
          diagnostics: ehr ? `(${ehr}) ${message}` : message,
          expression: [expression],
        },
      ],
    },
  };
};

/**
 * A projector that lags as much as it can: the records read model holds only what was projected at
 * the last `caughtUp()`, which projects the whole log up to its head (the records index only).
 */
const lazyRecordProjector = (
  store: { readAll(after: number, limit: number): Promise<StoredEvent[]> },
  readStore: ReadStore,
) => {
  let applied = 0;
  const caughtUp: ReadModelsCaughtUp = async () => {
    const events = await store.readAll(applied, 10_000);
    for (const event of events) {
      for (const change of recordIndexChanges(event as unknown as AnyDomainEvent)) {
        if (change.op !== 'create') continue;
        await readStore.commit([
          {
            kind: 'put',
            collection: COLLECTIONS.records,
            id: change.entry.recordId,
            expectedRevision: 0,
            body: change.entry,
          },
        ]);
      }
      applied = event.position;
    }
  };
  return caughtUp;
};

export interface IngestUnderTest {
  /** Posts as `sender` (SENDER unless told). */
  post(
    bundle: unknown,
    sender?: string,
  ): Promise<{ status: number; type: unknown; body: unknown; location: unknown }>;
  /** Posts and expects a 201; the new record id. */
  accepted(bundle: unknown, sender?: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * The ingest routes over an embedded log and read store. With `projector`, the read models follow
 * the log only when the routes wait for them (`readModelsCaughtUp`), as a lagging projector would;
 * without, nothing is projected and nothing waited for (an ingest process with no projector).
 */
export const openIngest = async (options: {
  projector: boolean;
  /** The hub's validator unless told (a test may change the rules between two posts). */
  validator?: DocumentValidator;
}): Promise<IngestUnderTest> => {
  const dir = mkdtempSync(join(tmpdir(), 'nexo-ingest-'));
  const events = openSqliteEventStore({ file: join(dir, 'events.sqlite') });
  const readStore = openSqliteReadStore({ file: ':memory:' });
  let sender = SENDER;
  const app: FastifyInstance = Fastify();
  installFhirEdge(app);
  await app.register(
    ingestRoutes({
      store: events.store,
      readStore,
      validator: options.validator ?? createDocumentValidator(),
      registry: { lookUp: () => Promise.reject(new Error('not called for a CNES author')) },
      clock: () => new Date(),
      newId,
      auth: {
        establishment: async () => sender,
        citizen: () => Promise.reject(new Error('not called')),
        annotate: () => undefined,
      },
      ...(options.projector ? { readModelsCaughtUp: lazyRecordProjector(events.store, readStore) } : {}),
    }),
  );
  const post: IngestUnderTest['post'] = async (bundle, as = SENDER) => {
    sender = as;
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
  return {
    post,
    accepted: async (bundle, as) => {
      const answer = await post(bundle, as);
      if (answer.status !== 201)
        throw new Error(`expected 201, got ${answer.status} ${JSON.stringify(answer.body)}`);
      return String(answer.location).split('/').at(-1)!;
    },
    close: async () => {
      await app.close();
      await readStore.close();
      await events.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
