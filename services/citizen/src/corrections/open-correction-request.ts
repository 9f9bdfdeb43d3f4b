import { setTimeout as sleep } from 'node:timers/promises';
import { isConcurrencyError, type EventStore, type NewEvent } from '@nexo/eventstore';
import { NexoError } from '@nexo/fhir';
import {
  COLLECTIONS,
  CORRECTION_ACTORS,
  brasiliaYear,
  claimVoided,
  correctionEventsToAppend,
  correctionRecordStream,
  correctionStream,
  decideCorrection,
  decideCorrectionClaim,
  evolveCorrection,
  evolveCorrectionClaim,
  formatProtocol,
  initialCorrectionClaimState,
  initialCorrectionState,
  isInProgressAbout,
  recordClaimed,
  type CorrectionClaimEvent,
  type CorrectionEvent,
  type CorrectionRequestedData,
} from '@nexo/domain';
import { rejected, type CorrectionCommandDeps } from './correction-commands.ts';

/** Protocols tried past the projected counter before giving up (the counter lags by milliseconds). */
const MAX_PROTOCOL_PROBES = 200;
/** Rounds of read, decide and append: each conflict (on the record or on a number) costs one. */
const MAX_ROUNDS = MAX_PROTOCOL_PROBES;
/** Pauses for a claim whose request is on its way (5, 10, … 50 ms: about 2 s in all), then 503. */
const MAX_OPENING_PAUSES = 40;
const openingPause = (pause: number): number => Math.min(5 * pause, 50);

/** The answer to a second request about a record while the first is in progress. */
const requestInProgress = (protocol: string): NexoError =>
  new NexoError(
    'NEXO_ERR_CORRECTION_STATE',
    `request ${protocol} about this record is still in progress; follow it or reopen its answer.`,
  );

const correctionStateOf = async (store: EventStore, protocol: string) =>
  (await store.readStream(correctionStream(protocol))).reduce(evolveCorrection, initialCorrectionState());

/** Appends, or answers false when the stream moved since it was read. */
const appended = async (
  store: EventStore,
  stream: string,
  expectedVersion: number,
  events: readonly NewEvent[],
) => {
  try {
    await store.append(stream, expectedVersion, events);
    return true;
  } catch (err) {
    if (!isConcurrencyError(err)) throw err;
    return false;
  }
};

/**
 * Opens a request about a record, at most one in progress per record whatever runs concurrently,
 * in this process or another over the same store (correction-claims.ts in @nexo/domain):
 *
 * 1. read the record's claims stream and the last claim's protocol stream, and decide: refuse
 *    (`409`, naming the request in progress), wait for a claim whose request is on its way, void
 *    an abandoned claim, or go on;
 * 2. choose the next free protocol of the year and decide the request (validation, nothing written);
 * 3. append `CorrectionRecordClaimed` to the claims stream expecting the version read in 1: a
 *    concurrent opening of the same record makes it conflict, and the round starts again;
 * 4. append `CorrectionRequested` to the protocol's stream expecting it not to exist: the number
 *    is unique, and a claim voided meanwhile (we were too slow) makes it conflict too.
 *
 * The claim goes first because the request is what reaches the establishment's inbox: a request
 * written before its claim could lose the race for the record and still be delivered. The other
 * order leaves, after a crash between 3 and 4, only a claim whose protocol stream is empty, which
 * step 1 waits for while fresh and voids once stale; and when 4 conflicts because another
 * record's request took the number, the claim names a stream that never holds this record, so
 * the next round claims again with the next number. Protocol numbers stay dense except for the
 * rare voided one.
 */
export const openCorrectionRequest = async (
  deps: CorrectionCommandDeps,
  request: Omit<CorrectionRequestedData, 'protocol'>,
  correlationId: string,
): Promise<{ readonly protocol: string; readonly at: string }> => {
  const at = deps.clock().toISOString();
  const year = brasiliaYear(at);
  const claims = correctionRecordStream(request.recordId);
  const envelope = (events: readonly (CorrectionEvent | CorrectionClaimEvent)[]) =>
    correctionEventsToAppend(events, {
      at,
      sender: CORRECTION_ACTORS.citizen,
      citizenKey: request.citizenKey,
      correlationId,
      newId: deps.newId,
    });
  const counter = await deps.readStore.get<{ last: number }>(COLLECTIONS.correctionCounters, String(year));
  let firstSequence = (counter?.body.last ?? 0) + 1;
  let pauses = 0;
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    const claimed = (await deps.store.readStream(claims)).reduce(
      evolveCorrectionClaim,
      initialCorrectionClaimState(),
    );
    const holder = claimed.claim
      ? await correctionStateOf(deps.store, claimed.claim.protocol)
      : initialCorrectionState();
    const claim = decideCorrectionClaim({ recordId: request.recordId, at }, claimed, holder);
    if (claim.kind === 'in-progress') throw requestInProgress(claim.protocol);
    if (claim.kind === 'opening') {
      if (++pauses > MAX_OPENING_PAUSES)
        throw new NexoError(
          'NEXO_ERR_UNAVAILABLE',
          'a request about this record is being opened right now; retry in a moment.',
        );
      await sleep(openingPause(pauses));
      continue;
    }
    if (claim.kind === 'abandoned') {
      // Whether this void or the late request wins the protocol's stream, the next round sees it.
      await appended(
        deps.store,
        correctionStream(claim.protocol),
        0,
        envelope([claimVoided(claim.protocol, request.recordId)]),
      );
      continue;
    }
    if (claimed.version === 0) {
      const earlier = await requestBeforeClaims(deps, request.recordId);
      if (earlier) throw requestInProgress(earlier);
    }
    const { protocol, sequence } = await freeProtocol(deps.store, year, firstSequence);
    const decision = decideCorrection(
      { kind: 'request', protocol, ...request, at },
      initialCorrectionState(),
    );
    if (decision.kind === 'reject') throw rejected(decision.problems);
    if (
      !(await appended(
        deps.store,
        claims,
        claimed.version,
        envelope([recordClaimed(request.recordId, protocol)]),
      ))
    )
      continue;
    if (await appended(deps.store, correctionStream(protocol), 0, envelope(decision.events)))
      return { protocol, at };
    firstSequence = sequence + 1;
  }
  throw new NexoError(
    'NEXO_ERR_UNAVAILABLE',
    'the record’s correction requests changed too often meanwhile; retry the request.',
  );
};

/** The first protocol of the year from `firstSequence` on whose stream is still empty. */
const freeProtocol = async (store: EventStore, year: number, firstSequence: number) => {
  for (let sequence = firstSequence; sequence < firstSequence + MAX_PROTOCOL_PROBES; sequence++) {
    const protocol = formatProtocol(year, sequence);
    if ((await store.readStream(correctionStream(protocol))).length === 0) return { protocol, sequence };
  }
  throw new NexoError('NEXO_ERR_UNAVAILABLE', 'no protocol number could be reserved now; retry the request.');
};

/**
 * A record never claimed may still have a request in progress opened before claims existed. Every
 * such request is long in the read model (none is written any more), so the read model names the
 * candidates and each one's own stream says whether it is still in progress.
 */
const requestBeforeClaims = async (deps: CorrectionCommandDeps, recordId: string) => {
  const byRecord = await deps.readStore.get<{ protocols: string[] }>(
    COLLECTIONS.correctionsByRecord,
    recordId,
  );
  for (const protocol of byRecord?.body.protocols ?? []) {
    if (isInProgressAbout(await correctionStateOf(deps.store, protocol), recordId)) return protocol;
  }
  return undefined;
};
