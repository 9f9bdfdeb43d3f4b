import { isConcurrencyError, type EventStore, type NewEvent } from '@nexo/eventstore';
import { readCaughtUp, type ReadModelsCaughtUp, type ReadStore } from '@nexo/readstore';
import {
  NexoError,
  statusOf,
  toOperationOutcome,
  type DocumentValidator,
  type Problem,
  type RecordType,
  type Warning,
} from '@nexo/fhir';
import { citizenKey } from '@nexo/identifiers';
import {
  COLLECTIONS,
  EVENT_TYPES,
  SCHEMA_VERSIONS,
  citizenLinkNeeded,
  contentHash,
  decideSubmission,
  evolveSubmission,
  initialSubmissionState,
  resendOf,
  submissionStream,
  type BundleIdentifier,
  type Decision,
  type EventType,
  type RecordEntry,
  type SubmissionRejectedData,
  type SubmitDocument,
} from '@nexo/domain';
import { checkAuthor, type RegistrationLookUp } from './author-check.ts';
import { sameRegisteredPerson } from './citizen-link.ts';

export interface IngestDeps {
  readonly store: EventStore;
  readonly readStore: ReadStore;
  readonly validator: DocumentValidator;
  /** Read only for an REL authored under a CNPJ or CNS (see author-check.ts). */
  readonly registry: RegistrationLookUp;
  readonly clock: () => Date;
  readonly newId: () => string;
  /**
   * The projector of this process caught up (absent when none runs in it). The read models follow
   * a 201 by a few milliseconds: a read right after it that finds nothing (the GET of its Location,
   * the record a replacement names) waits for them, up to a second, instead of answering "unknown".
   */
  readonly readModelsCaughtUp?: ReadModelsCaughtUp;
}

/** Who is asking, passed explicitly from the edge. */
export interface RequestContext {
  /** CNES of the authenticated establishment. */
  readonly sender: string;
  readonly correlationId: string;
}

export type SubmitResult =
  | {
      readonly kind: 'accepted';
      readonly recordId: string;
      readonly created: boolean;
      readonly eventType: EventType;
      /** What the sender should know though the document was accepted: the record's, then the document's. */
      readonly warnings: readonly Warning[];
    }
  | { readonly kind: 'rejected'; readonly problems: readonly Problem[] };

/** Concurrent posts of one stream retry on a version conflict; past this, the hub is overloaded. */
const MAX_ATTEMPTS = 10;

/**
 * Validates a posted Bundle, decides what it means for its submission stream and appends the
 * resulting event. Returns only once the event is durable, or the rejection is recorded.
 */
export const submitBundle = async (
  deps: IngestDeps,
  ctx: RequestContext,
  body: unknown,
): Promise<SubmitResult> => {
  const now = deps.clock();
  const validated = deps.validator.validate(body, { now });
  if (!validated.ok) return refuseUnlessResent(deps, ctx, now, body, validated.problems);
  const document = validated.document;
  const notAuthor = await checkAuthor(deps.registry, ctx.sender, document.author);
  if (notAuthor) return refuseUnlessResent(deps, ctx, now, body, [notAuthor], document.recordType);
  const stream = submissionStream(ctx.sender, document.bundleIdentifier);
  const hash = contentHash(body);
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const history = await deps.store.readStream(stream);
    const state = history.reduce(evolveSubmission, initialSubmissionState());
    const foreignTarget =
      document.replaces !== undefined && !state.recordIds.includes(document.replaces)
        ? await lookUpForeignTarget(deps, document.replaces, ctx.sender)
        : undefined;
    const command: SubmitDocument = {
      document,
      rawDocument: body,
      contentHash: hash,
      newRecordId: deps.newId(),
      ...(foreignTarget ? { foreignTarget } : {}),
    };
    // A replacement or cancellation naming another identifier than its record's is accepted when
    // the registry links both to one person; only then is the registry read.
    const decision = decideSubmission(
      citizenLinkNeeded(command, state)
        ? {
            ...command,
            sameCitizen: await sameRegisteredPerson(
              deps,
              state.citizenKey ?? '',
              citizenKey(document.subject),
            ),
          }
        : command,
      state,
    );
    if (decision.kind === 'reject') return reject(deps, ctx, body, decision.problems, document.recordType);
    const event = eventOf(deps, ctx, now, decision);
    const accepted: SubmitResult = {
      kind: 'accepted',
      recordId: decision.recordId,
      created: decision.kind === 'append',
      eventType: decision.type,
      warnings: decision.kind === 'resend' ? [...decision.warnings, ...document.warnings] : document.warnings,
    };
    if (decision.kind === 'resend') {
      await deps.store.append(resendStream(event), 0, [event]);
      return accepted;
    }
    try {
      await deps.store.append(stream, state.version, [event]);
      return accepted;
    } catch (err) {
      if (!isConcurrencyError(err)) throw err;
    }
  }
  throw new NexoError(
    'NEXO_ERR_UNAVAILABLE',
    'too many concurrent changes to this Bundle.identifier; retry the same request.',
  );
};

/**
 * Whose record a replacement names when it is not in the document's own stream: another sender's
 * (403) or this sender's under another Bundle.identifier (422 BUSINESS_RULE); undefined when the
 * read models know no such record (422 UNKNOWN_TARGET). A record accepted a moment ago may not be
 * projected yet: a miss waits for this process's projector before it is believed.
 */
const lookUpForeignTarget = async (
  deps: Pick<IngestDeps, 'readStore' | 'readModelsCaughtUp'>,
  recordId: string,
  sender: string,
) => {
  const entry = await readCaughtUp(
    () => deps.readStore.get<RecordEntry>(COLLECTIONS.records, recordId),
    deps.readModelsCaughtUp,
  );
  return entry ? { ownedBySender: entry.body.sender === sender } : undefined;
};

/** The event a decision appends, as `ctx`'s sender at `now`. */
const eventOf = (
  deps: Pick<IngestDeps, 'newId'>,
  ctx: RequestContext,
  now: Date,
  decision: Extract<Decision, { readonly kind: 'append' | 'resend' }>,
): NewEvent => ({
  id: deps.newId(),
  type: decision.type,
  schemaVersion: SCHEMA_VERSIONS[decision.type],
  occurredAt: now.toISOString(),
  sender: ctx.sender,
  // The stream's key, the original's, even when this version names another identifier of the
  // same person: events are ordered per citizen key (see filedUnder in @nexo/domain).
  citizenKey: decision.citizenKey,
  correlationId: ctx.correlationId,
  data: decision.data,
});

/** A resend changes no submission: it is recorded in a stream of its own (see `Decision`). */
const resendStream = (event: Pick<NewEvent, 'id'>): string => `resend-${event.id}`;

/**
 * Refuses a document, unless it repeats exactly a version this sender's submission accepted
 * before: then it is the resend it is (201, the same record, nothing changed), with what today's
 * checks find in it as warnings. The checks grow stricter from one release to the next (an element
 * a national model forbids, an author since unregistered); refusing a resend then would tell the
 * sender's software that a record the citizen already sees was never accepted, and a retry after a
 * timeout would never end well.
 */
const refuseUnlessResent = async (
  deps: IngestDeps,
  ctx: RequestContext,
  now: Date,
  body: unknown,
  problems: readonly Problem[],
  recordType?: RecordType,
): Promise<SubmitResult> => {
  const identifier = identifierOf(body);
  const history = identifier ? await deps.store.readStream(submissionStream(ctx.sender, identifier)) : [];
  const state = history.reduce(evolveSubmission, initialSubmissionState());
  // Only a stream with history is hashed: the body is the sender's, whatever its size or shape.
  const resend = history.length > 0 ? resendOf(state, contentHash(body)) : undefined;
  if (resend === undefined) return reject(deps, ctx, body, problems, recordType);
  const event = eventOf(deps, ctx, now, resend);
  await deps.store.append(resendStream(event), 0, [event]);
  return {
    kind: 'accepted',
    recordId: resend.recordId,
    created: false,
    eventType: resend.type,
    warnings: [...resend.warnings, acceptedBeforeChecks(resend.recordId), ...problems.map(asWarning)],
  };
};

const acceptedBeforeChecks = (recordId: string): Warning => ({
  code: 'NEXO_WARN_ACCEPTED_BEFORE_CHECKS',
  severity: 'warning',
  expression: 'Bundle.identifier',
  message:
    `this document repeats record ${recordId}, accepted before checks it now fails (the other ` +
    'warnings name them). The record is kept as it was; a new document or a replacement must pass them.',
});

/** A problem of a refused document, said beside a success instead. */
const asWarning = (problem: Problem): Warning => ({
  code: problem.code,
  severity: 'warning',
  message: problem.message,
  ...(problem.expression === undefined ? {} : { expression: problem.expression }),
});

/** Records the rejection so the sender can list it, then answers it. */
const reject = async (
  deps: IngestDeps,
  ctx: RequestContext,
  body: unknown,
  problems: readonly Problem[],
  recordType?: RecordType,
): Promise<SubmitResult> => {
  const rejectionId = deps.newId();
  const bundleIdentifier = identifierOf(body);
  const data: SubmissionRejectedData = {
    rejectionId,
    status: statusOf(problems),
    outcome: toOperationOutcome(problems),
    ...(bundleIdentifier ? { bundleIdentifier } : {}),
    ...(recordType ? { recordType } : {}),
  };
  await deps.store.append(`rejection-${rejectionId}`, 0, [
    {
      id: deps.newId(),
      type: EVENT_TYPES.submissionRejected,
      schemaVersion: SCHEMA_VERSIONS.SubmissionRejected,
      occurredAt: deps.clock().toISOString(),
      sender: ctx.sender,
      citizenKey: '',
      correlationId: ctx.correlationId,
      data,
    },
  ]);
  return { kind: 'rejected', problems };
};

/** The Bundle.identifier of a rejected body when it has a usable one, so the sender can find it. */
const identifierOf = (body: unknown): BundleIdentifier | undefined => {
  const identifier = (body as { identifier?: { system?: unknown; value?: unknown } } | null)?.identifier;
  const { system, value } = identifier ?? {};
  return typeof system === 'string' &&
    typeof value === 'string' &&
    system.length <= 256 &&
    value.length <= 256
    ? { system, value }
    : undefined;
};
