import type { FastifyInstance, FastifyReply } from 'fastify';
import { successOutcome } from '@nexo/fhir';
import {
  attachSchemas,
  correlationIdOf,
  findPageOfQuery,
  parseLimitParam,
  sendMethodNotAllowed,
  sendProblems,
  FHIR_JSON,
} from '@nexo/runtime';
import type { Authenticator } from '@nexo/auth';
import type { EventStore } from '@nexo/eventstore';
import { readCaughtUp } from '@nexo/readstore';
import { COLLECTIONS, recordStatus, type RecordEntry, type RejectionEntry } from '@nexo/domain';
import { submitBundle, type IngestDeps } from './submit-bundle.ts';
import { publicOriginOf } from './public-origin.ts';
import { ingestRouteSchemas } from './schemas.ts';

/** Nexo's FHIR base, and the national network's path for software that has it built in. */
export const FHIR_BASES = ['/fhir/r4', '/api/fhir/r4'] as const;

const RECORD_STATUS_SYSTEM = 'https://nexo.saude.example/fhir/CodeSystem/record-status';
const PAGE_LIMIT_MAX = 100;

/**
 * What the routes need besides the submission's dependencies: who is asking. A record is read back
 * from the read models; the GET of a Location right after its 201 waits for them through
 * `readModelsCaughtUp` (see IngestDeps) instead of answering 404.
 */
export type IngestRouteDeps = IngestDeps & {
  readonly auth: Authenticator;
  /** The hub's public URL (NEXO_PUBLIC_URL): the base of every Location; without it, the address asked. */
  readonly publicUrl?: string;
};

/** The sender-facing routes: submit documents, read them back, list rejections. */
export const ingestRoutes = (deps: IngestRouteDeps) => async (app: FastifyInstance) => {
  app.addHook('onRoute', attachSchemas(ingestRouteSchemas(FHIR_BASES)));
  for (const base of FHIR_BASES) {
    app.post(`${base}/Bundle`, async (request, reply) => {
      const sender = await deps.auth.establishment(request);
      const result = await submitBundle(
        deps,
        { sender, correlationId: correlationIdOf(request) },
        request.body,
      );
      if (result.kind === 'rejected') return sendProblems(reply, result.problems);
      const location = `${publicOriginOf(request, deps.publicUrl)}${base}/Bundle/${result.recordId}`;
      const message = result.created
        ? `accepted: ${result.eventType} ${result.recordId}`
        : `resend of record ${result.recordId}: nothing changed`;
      return reply
        .code(201)
        .header('location', location)
        .header('content-location', location)
        .type(`${FHIR_JSON}; charset=utf-8`)
        .send(successOutcome(message, result.warnings));
    });

    app.get<{ Params: { id: string } }>(`${base}/Bundle/:id`, async (request, reply) => {
      // `$validate` is an operation of the type, not a record id: it answers POST only.
      if (request.params.id === '$validate') return sendMethodNotAllowed(request, reply, ['POST']);
      const sender = await deps.auth.establishment(request);
      const entry = await readCaughtUp(
        () => deps.readStore.get<RecordEntry>(COLLECTIONS.records, request.params.id),
        deps.readModelsCaughtUp,
      );
      // Another sender's record answers exactly like a missing one: ids reveal nothing.
      if (entry && entry.body.sender !== sender)
        deps.auth.annotate(request, 'record of another establishment');
      if (!entry || entry.body.sender !== sender) return notFound(reply, request.params.id);
      const document = await postedDocument(deps.store, entry.body);
      return reply.type(`${FHIR_JSON}; charset=utf-8`).send(asStoredBundle(entry.body, document));
    });
  }

  // A sender lists what it sent and what was refused, newest first, to fix and resend.
  listForSender<RejectionEntry>(
    app,
    deps,
    '/establishment/v1/rejections',
    COLLECTIONS.rejections,
    'rejections',
    (e) => e,
  );
  listForSender<RecordEntry>(
    app,
    deps,
    '/establishment/v1/submissions',
    COLLECTIONS.records,
    'submissions',
    submissionSummary,
  );
};

/**
 * A submission as listed to its sender: the status without the document or the citizen. A
 * cancellation reads `cancelled`, as the version it cancels does: neither is a live record.
 */
const submissionSummary = (entry: RecordEntry) => ({
  recordId: entry.recordId,
  recordType: entry.recordType,
  bundleIdentifier: entry.bundleIdentifier,
  receivedAt: entry.receivedAt,
  kind: entry.kind,
  status: recordStatus(entry),
  ...(entry.replaces ? { replaces: entry.replaces } : {}),
  ...(entry.replacedBy ? { replacedBy: entry.replacedBy } : {}),
});

/** A page of the sender's list; a cursor the store did not issue is the caller's error (400), not ours. */
const listForSender = <T>(
  app: FastifyInstance,
  deps: IngestRouteDeps,
  path: string,
  collection: string,
  key: string,
  present: (entry: T) => unknown,
): void => {
  app.get<{ Querystring: { cursor?: string; limit?: string } }>(path, async (request, reply) => {
    const sender = await deps.auth.establishment(request);
    const query = {
      collection,
      field: 'sender',
      value: sender,
      limit: parseLimitParam(request.query.limit, PAGE_LIMIT_MAX),
      ...(request.query.cursor === undefined ? {} : { cursor: request.query.cursor }),
    };
    const page = await findPageOfQuery<T>(deps.readStore, query);
    return reply.send({
      [key]: page.documents.map((d) => present(d.body)),
      ...(page.next ? { next: page.next } : {}),
    });
  });
};

const notFound = (reply: FastifyReply, id: string) =>
  sendProblems(reply, [
    { code: 'NEXO_ERR_NOT_FOUND', message: `no record ${id.slice(0, 64)} was sent by this establishment.` },
  ]);

/**
 * The Bundle as posted, from the event that accepted this version (the read model keeps only the
 * status). A submission stream holds one Bundle.identifier's few versions, so this is one small read.
 */
const postedDocument = async (store: EventStore, entry: RecordEntry): Promise<PostedDocument> => {
  const event = (await store.readStream(entry.stream)).find((e) => e.version === entry.version);
  const data = event?.data as { recordId?: unknown; document?: unknown } | undefined;
  if (data?.recordId !== entry.recordId || typeof data.document !== 'object' || data.document === null)
    throw new Error(
      `the log has no document for record ${entry.recordId} at ${entry.stream}@${entry.version}`,
    );
  return data.document as PostedDocument;
};

type PostedDocument = { meta?: { tag?: unknown[] } } & Record<string, unknown>;

/** The Bundle as the sender posted it, with its Nexo id and the record's status as a tag. */
const asStoredBundle = (entry: RecordEntry, document: PostedDocument) => ({
  ...document,
  id: entry.recordId,
  meta: {
    ...document.meta,
    lastUpdated: entry.receivedAt,
    tag: [
      ...(Array.isArray(document.meta?.tag) ? document.meta.tag : []),
      { system: RECORD_STATUS_SYSTEM, code: recordStatus(entry), display: statusDisplay(entry) },
    ],
  },
});

const statusDisplay = (entry: RecordEntry): string =>
  entry.kind === 'cancellation'
    ? `cancels ${entry.replaces ?? ''}`
    : entry.status === 'current'
      ? 'current'
      : `${entry.status} by ${entry.replacedBy ?? ''}`;
