import {
  CITIZEN_CORRECTION_SCHEMAS,
  answerNoStore,
  correlationIdOf,
  describeRoutes,
  parseLimitParam,
} from '@nexo/runtime';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { NexoError, isNexoError } from '@nexo/fhir';
import { citizenKey, type CitizenId } from '@nexo/identifiers';
import { readCaughtUp, type ReadModelsCaughtUp } from '@nexo/readstore';
import type { Authenticator } from '@nexo/auth';
import {
  COLLECTIONS,
  correctionTextProblem,
  type CorrectionRequestView,
  type RecordEntry,
} from '@nexo/domain';
import { resolveCitizen } from '../resolve-person.ts';
import { actOnCorrectionRequest, stateAnswer, type CorrectionCommandDeps } from './correction-commands.ts';
import { openCorrectionRequest } from './open-correction-request.ts';
import {
  commentWithoutRating,
  objectBody,
  optionalRating,
  optionalText,
  protocolParam,
  ratingField,
  textField,
} from './correction-input.ts';

const BASE = '/citizen/v1/me/correction-requests';
const LIST_MAX = 100;

export type CorrectionRouteDeps = CorrectionCommandDeps & {
  /** Who is asking: the citizen named by a verified token. */
  readonly auth: Authenticator;
  /**
   * The projector of this process caught up (the hub gives it; absent when none runs in the
   * process). The record a request is about is looked up in the read models, which follow its 201
   * by a few milliseconds: a request sent right after it waits for them (up to a second) instead
   * of answering that the record is not one of the citizen's.
   */
  readonly readModelsCaughtUp?: ReadModelsCaughtUp;
};

/** Every key the citizen's person holds: a request is theirs when its record was sent under one of them. */
const citizenKeysOf = async (deps: CorrectionRouteDeps, request: FastifyRequest) => {
  const citizen = await deps.auth.citizen(request);
  const resolved = await resolveCitizen(deps.readStore, citizen);
  return { resolved, keys: [...new Set([citizenKey(citizen), ...resolved.identifiers.map(citizenKey)])] };
};

const notFound = (): NexoError => new NexoError('NEXO_ERR_NOT_FOUND', 'no such correction request.');

/** The record as the read models hold it, when it is one of the citizen's (under any of their identifiers). */
const citizensRecord = async (deps: CorrectionRouteDeps, citizen: CitizenId, recordId: string) => {
  const { records } = await resolveCitizen(deps.readStore, citizen);
  return Object.hasOwn(records.records, recordId)
    ? await deps.readStore.get<RecordEntry>(COLLECTIONS.records, recordId)
    : undefined;
};

/**
 * Notes in the audit entry that `recordId`, refused as not one of the citizen's records, is another
 * citizen's record: the answer stays the one a missing record gets (ids reveal nothing), while the
 * trail tells an attempt on someone else's record from a typo, as it does for requests.
 */
const noteIfAnothersRecord = async (deps: CorrectionRouteDeps, request: FastifyRequest, recordId: string) => {
  if (await deps.readStore.get<RecordEntry>(COLLECTIONS.records, recordId))
    deps.auth.annotate(request, 'record of another citizen');
};

/**
 * Notes in the audit entry that `protocol` is another citizen's request, when it is: the refusal
 * then says so, not only "not found", as the establishment side's does.
 */
const noteIfAnothers = async (
  deps: CorrectionRouteDeps,
  request: FastifyRequest,
  keys: readonly string[],
  protocol: string,
) => {
  const doc = await deps.readStore.get<CorrectionRequestView>(COLLECTIONS.correctionRequests, protocol);
  if (doc && !keys.includes(doc.body.citizenKey))
    deps.auth.annotate(request, 'correction request of another citizen');
  return doc;
};

/** The request as the citizen sees it; another citizen's request is answered exactly like a missing one. */
const ownView = async (
  deps: CorrectionRouteDeps,
  request: FastifyRequest,
  keys: readonly string[],
  protocol: string,
) => {
  const doc = await noteIfAnothers(deps, request, keys, protocol);
  if (!doc || !keys.includes(doc.body.citizenKey)) throw notFound();
  return doc.body;
};

/**
 * A citizen's action on a request, decided on its stream (which answers another citizen's request
 * as not found); the audit entry of such a refusal names why, read from the view only then.
 */
const actAsCitizen = async (
  deps: CorrectionRouteDeps,
  request: FastifyRequest,
  keys: readonly string[],
  protocol: string,
  act: () => ReturnType<typeof actOnCorrectionRequest>,
) => {
  try {
    return await act();
  } catch (error) {
    if (isNexoError(error) && error.code === 'NEXO_ERR_NOT_FOUND')
      await noteIfAnothers(deps, request, keys, protocol);
    throw error;
  }
};

const present = ({ version: _version, citizenKey: _key, ...view }: CorrectionRequestView) => view;
const summary = ({ timeline: _timeline, ...view }: ReturnType<typeof present>) => view;

/**
 * A citizen's correction requests (LGPD art. 18 III): open one about a current record, follow its
 * timeline, confirm or reopen the establishment's answer, rate it once closed. Reads come from
 * the read model; commands are decided on the event streams: an opening on the record's claims
 * (one request in progress per record, open-correction-request.ts), the rest on the request's.
 */
export const correctionRequestRoutes = (deps: CorrectionRouteDeps) => async (app: FastifyInstance) => {
  app.addHook('onRoute', describeRoutes(CITIZEN_CORRECTION_SCHEMAS));
  answerNoStore(app);
  app.post(BASE, async (request, reply) => {
    const citizen = await deps.auth.citizen(request);
    const body = objectBody(request.body, ['recordId', 'message']);
    const recordId = textField(body, 'recordId');
    const message = textField(body, 'message');
    const invalidMessage = correctionTextProblem(message, 'message');
    if (invalidMessage) throw new NexoError(invalidMessage.code, [invalidMessage]);
    // A record not found may be one accepted milliseconds ago: look again once the projector caught up.
    const entry = await readCaughtUp(() => citizensRecord(deps, citizen, recordId), deps.readModelsCaughtUp);
    if (!entry) await noteIfAnothersRecord(deps, request, recordId);
    if (!entry || entry.body.status !== 'current' || entry.body.kind === 'cancellation') {
      throw new NexoError('NEXO_ERR_VALIDATION_REFERENCE', [
        {
          code: 'NEXO_ERR_VALIDATION_REFERENCE',
          expression: 'recordId',
          message: 'recordId must name one of your current records (see /citizen/v1/me/timeline).',
        },
      ]);
    }
    const opened = await openCorrectionRequest(
      deps,
      {
        recordId,
        recordType: entry.body.recordType,
        establishment: entry.body.sender,
        citizenKey: entry.body.citizenKey,
        message,
      },
      correlationIdOf(request),
    );
    return reply.code(201).header('location', `${BASE}/${opened.protocol}`).send({
      protocol: opened.protocol,
      status: 'open',
      recordId,
      establishment: entry.body.sender,
      openedAt: opened.at,
    });
  });

  app.get<{ Querystring: { limit?: string } }>(BASE, async (request) => {
    const { keys } = await citizenKeysOf(deps, request);
    const limit = parseLimitParam(request.query.limit, LIST_MAX);
    const pages = await Promise.all(
      keys.map((value) =>
        deps.readStore.find<CorrectionRequestView>({
          collection: COLLECTIONS.correctionRequests,
          field: 'citizenKey',
          value,
          limit,
        }),
      ),
    );
    const views = pages
      .flatMap((p) => p.documents.map((d) => d.body))
      .sort((a, b) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt) || (a.protocol < b.protocol ? 1 : -1))
      .slice(0, limit);
    return { correctionRequests: views.map((v) => summary(present(v))) };
  });

  app.get<{ Params: { protocol: string } }>(`${BASE}/:protocol`, async (request) => {
    const { keys } = await citizenKeysOf(deps, request);
    const protocol = protocolParam(request.params.protocol);
    return present(await ownView(deps, request, keys, protocol));
  });

  app.post<{ Params: { protocol: string } }>(`${BASE}/:protocol/confirm`, async (request) => {
    const { keys } = await citizenKeysOf(deps, request);
    const protocol = protocolParam(request.params.protocol);
    const body = objectBody(request.body ?? {}, ['rating', 'comment']);
    const rating = optionalRating(body);
    const comment = optionalText(body, 'comment');
    // The comment is kept with the rating it explains; alone it would be dropped, so it is refused.
    if (comment !== undefined && rating === undefined) throw commentWithoutRating();
    const state = await actAsCitizen(deps, request, keys, protocol, () =>
      actOnCorrectionRequest(
        deps,
        protocol,
        (at) => ({
          kind: 'confirm',
          citizenKeys: keys,
          at,
          ...(rating ? { rating } : {}),
          ...(comment !== undefined ? { comment } : {}),
        }),
        correlationIdOf(request),
      ),
    );
    return stateAnswer(state);
  });

  app.post<{ Params: { protocol: string } }>(`${BASE}/:protocol/reopen`, async (request) => {
    const { keys } = await citizenKeysOf(deps, request);
    const protocol = protocolParam(request.params.protocol);
    const reason = textField(objectBody(request.body, ['reason']), 'reason');
    const state = await actAsCitizen(deps, request, keys, protocol, () =>
      actOnCorrectionRequest(
        deps,
        protocol,
        (at) => ({ kind: 'reopen', citizenKeys: keys, reason, at }),
        correlationIdOf(request),
      ),
    );
    return stateAnswer(state);
  });

  app.post<{ Params: { protocol: string } }>(`${BASE}/:protocol/rating`, async (request) => {
    const { keys } = await citizenKeysOf(deps, request);
    const protocol = protocolParam(request.params.protocol);
    const body = objectBody(request.body, ['rating', 'comment']);
    const rating = ratingField(body);
    const comment = optionalText(body, 'comment');
    const state = await actAsCitizen(deps, request, keys, protocol, () =>
      actOnCorrectionRequest(
        deps,
        protocol,
        (at) => ({
          kind: 'rate',
          citizenKeys: keys,
          rating,
          at,
          ...(comment !== undefined ? { comment } : {}),
        }),
        correlationIdOf(request),
      ),
    );
    return stateAnswer(state);
  });
};
