import type { FastifyInstance } from 'fastify';
import { handleStreamCommand, isConcurrencyError, type EventStore } from '@nexo/eventstore';
import type { ReadStore } from '@nexo/readstore';
import { NexoError } from '@nexo/fhir';
import type { Authenticator } from '@nexo/auth';
import {
  ESTABLISHMENT_CORRECTION_SCHEMAS,
  answerNoStore,
  correlationIdOf,
  describeRoutes,
  findPageOfQuery,
  parseLimitParam,
} from '@nexo/runtime';
import {
  COLLECTIONS,
  correctionEventsToAppend,
  correctionStream,
  decideCorrection,
  evolveCorrection,
  initialCorrectionState,
  parseProtocol,
  type CorrectionRequestView,
} from '@nexo/domain';

export interface CorrectionInboxDeps {
  readonly store: EventStore;
  readonly readStore: ReadStore;
  readonly clock: () => Date;
  readonly newId: () => string;
  /** Who is asking: the establishment named by a verified token. */
  readonly auth: Authenticator;
}

const BASE = '/establishment/v1/correction-requests';
const PAGE_MAX = 100;

const notFound = (): NexoError =>
  new NexoError('NEXO_ERR_NOT_FOUND', 'no such correction request in this inbox.');
const invalid = (expression: string, message: string): NexoError =>
  new NexoError('NEXO_ERR_VALIDATION_REQUIRED', [
    { code: 'NEXO_ERR_VALIDATION_REQUIRED', expression, message },
  ]);

/** The request as its establishment sees it: the record and the timeline, not the citizen's identifier. */
const present = ({ version: _version, citizenKey: _key, ...view }: CorrectionRequestView) => view;

const protocolOf = (text: string): string => {
  if (!parseProtocol(text)) throw notFound();
  return text;
};

const messageOf = (body: unknown): string => {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw invalid('$', 'the body must be a JSON object: { "message": "..." }.');
  const extra = Object.keys(body).find((k) => k !== 'message');
  if (extra !== undefined) throw invalid(extra.slice(0, 40), 'unknown field; an answer takes only message.');
  const message = (body as { message?: unknown }).message;
  if (typeof message !== 'string') throw invalid('message', 'message is required, as text.');
  return message;
};

/**
 * The establishment's inbox of correction requests about the records it sent: list them, read one
 * with its timeline, answer it. Another establishment's request answers exactly like a missing one.
 * A replacement or cancellation of the record sent through the FHIR API is linked to the request
 * automatically (the answer need not name it).
 */
export const correctionInboxRoutes = (deps: CorrectionInboxDeps) => async (app: FastifyInstance) => {
  app.addHook('onRoute', describeRoutes(ESTABLISHMENT_CORRECTION_SCHEMAS));
  answerNoStore(app);
  app.get<{ Querystring: { cursor?: string; limit?: string } }>(BASE, async (request) => {
    const establishment = await deps.auth.establishment(request);
    const page = await findPageOfQuery<CorrectionRequestView>(deps.readStore, {
      collection: COLLECTIONS.correctionRequests,
      field: 'establishment',
      value: establishment,
      limit: parseLimitParam(request.query.limit, PAGE_MAX),
      ...(request.query.cursor === undefined ? {} : { cursor: request.query.cursor }),
    });
    return {
      correctionRequests: page.documents.map((d) => present(d.body)),
      ...(page.next ? { next: page.next } : {}),
    };
  });

  app.get<{ Params: { protocol: string } }>(`${BASE}/:protocol`, async (request) => {
    const establishment = await deps.auth.establishment(request);
    const protocol = protocolOf(request.params.protocol);
    const doc = await deps.readStore.get<CorrectionRequestView>(COLLECTIONS.correctionRequests, protocol);
    if (doc && doc.body.establishment !== establishment)
      deps.auth.annotate(request, 'correction request of another establishment');
    if (!doc || doc.body.establishment !== establishment) throw notFound();
    return present(doc.body);
  });

  app.post<{ Params: { protocol: string } }>(`${BASE}/:protocol/answer`, async (request) => {
    const establishment = await deps.auth.establishment(request);
    const protocol = protocolOf(request.params.protocol);
    const message = messageOf(request.body);
    const at = deps.clock().toISOString();
    const correlationId = correlationIdOf(request);
    try {
      const state = await handleStreamCommand(deps.store, correctionStream(protocol), {
        initialState: initialCorrectionState,
        evolve: evolveCorrection,
        decide: (current) => {
          // Refused as missing (404), like the read; the audit entry says why.
          if (current.request && current.request.establishment !== establishment)
            deps.auth.annotate(request, 'correction request of another establishment');
          const decision = decideCorrection({ kind: 'answer', establishment, message, at }, current);
          if (decision.kind === 'reject')
            throw new NexoError(decision.problems[0]?.code ?? 'NEXO_ERR_INTERNAL', decision.problems);
          const context = {
            at,
            sender: establishment,
            citizenKey: current.request?.citizenKey ?? '',
            correlationId,
            newId: deps.newId,
          };
          return {
            events: correctionEventsToAppend(decision.events, context),
            result: decision.events.reduce(evolveCorrection, current),
          };
        },
      });
      return { protocol, status: state.status, closesAt: state.closesAt };
    } catch (err) {
      if (isConcurrencyError(err))
        throw new NexoError('NEXO_ERR_UNAVAILABLE', 'the request changed too often meanwhile; retry.');
      throw err;
    }
  });
};
