/**
 * A reproducible stream of submissions as a national network sends them: new RIA/REL/RDM
 * documents from many establishments about many citizens, a share of invalid documents, and a
 * share of corrections of records the hub already accepted.
 */
import { seededRandom, type RandomSource } from '@nexo/identifiers';
import { pastInstant, pickOne, type SyntheticBundle } from './fhir-json.ts';
import {
  syntheticCitizens,
  syntheticEstablishments,
  type EstablishmentKind,
  type SyntheticCitizen,
  type SyntheticEstablishment,
} from './people.ts';
import { rdmBundle, rdmFacts } from './rdm.ts';
import { relBundle, relFacts } from './rel.ts';
import { riaBundle, riaFacts } from './ria.ts';
import {
  INVALID_STATUS,
  cancellationOf,
  invalidVariant,
  randomInvalidKind,
  replacementOf,
} from './variants.ts';

export type SyntheticRecordType = 'RIA' | 'REL' | 'RDM';
export type SubmissionKind = 'new' | 'invalid' | 'replacement' | 'cancellation';

export interface WorkloadOptions {
  readonly seed: number;
  readonly citizens: number;
  /** Establishments of each kind (UBS, laboratory, pharmacy). */
  readonly establishments: number;
  /** Relative weights of the record types among new documents. */
  readonly mix?: Readonly<Record<SyntheticRecordType, number>>;
  /** Share (0–1) of submissions that are invalid. */
  readonly invalidShare?: number;
  /** Share (0–1) of submissions that correct an accepted record (one in five a cancellation). */
  readonly correctionShare?: number;
  /** "Now" for the documents' dates (default: the wall clock when the workload is created). */
  readonly nowMs?: number;
}

export interface Submission {
  readonly kind: SubmissionKind;
  readonly recordType: SyntheticRecordType;
  readonly sender: SyntheticEstablishment;
  readonly citizen: SyntheticCitizen;
  readonly bundle: SyntheticBundle;
  /** The status the hub answers with when it behaves as specified. */
  readonly expectedStatus: number;
}

export interface Workload {
  readonly citizens: readonly SyntheticCitizen[];
  readonly establishments: Readonly<Record<EstablishmentKind, readonly SyntheticEstablishment[]>>;
  next(): Submission;
  /** Tells the workload the hub accepted `submission` as `recordId`, so it can be corrected later. */
  accepted(submission: Submission, recordId: string): void;
}

const SENDER_KIND: Readonly<Record<SyntheticRecordType, EstablishmentKind>> = {
  RIA: 'UBS',
  REL: 'LAB',
  RDM: 'PHARMACY',
};
const IDENTIFIER_PREFIX: Readonly<Record<SyntheticRecordType, string>> = {
  RIA: 'UBS',
  REL: 'LAB',
  RDM: 'FARM',
};
/** Accepted records kept for later corrections; older ones are forgotten. */
const CORRECTABLE_MAX = 10_000;

const weighted = (
  random: RandomSource,
  mix: Readonly<Record<SyntheticRecordType, number>>,
): SyntheticRecordType => {
  const total = mix.RIA + mix.REL + mix.RDM;
  const roll = random() * total;
  if (roll < mix.RIA) return 'RIA';
  return roll < mix.RIA + mix.REL ? 'REL' : 'RDM';
};

export const createWorkload = (options: WorkloadOptions): Workload => {
  const random = seededRandom(options.seed);
  const nowMs = options.nowMs ?? Date.now();
  const mix = options.mix ?? { RIA: 1, REL: 0, RDM: 0 };
  const citizens = syntheticCitizens(options.citizens, random);
  const establishments = {
    UBS: syntheticEstablishments(options.establishments, 'UBS', random),
    LAB: syntheticEstablishments(options.establishments, 'LAB', random),
    PHARMACY: syntheticEstablishments(options.establishments, 'PHARMACY', random),
  };
  const correctable: Array<{ readonly submission: Submission; readonly recordId: string }> = [];
  let sequence = 0;

  const newDocument = (recordType: SyntheticRecordType): Submission => {
    sequence += 1;
    const sender = pickOne(random, establishments[SENDER_KIND[recordType]]);
    const citizen = pickOne(random, citizens);
    const identifier = `${IDENTIFIER_PREFIX[recordType]}${sender.cnes}-${recordType}-${options.seed}-${String(sequence).padStart(9, '0')}`;
    const base = { identifier, sender: sender.cnes, citizen: citizen.number };
    const at = pastInstant(random, nowMs);
    const bundle =
      recordType === 'RIA'
        ? riaBundle(riaFacts(random, { ...base, occurredAtMs: at }))
        : recordType === 'REL'
          ? relBundle(relFacts(random, { ...base, issuedAtMs: at }))
          : rdmBundle(rdmFacts(random, { ...base, handedOverAtMs: at }));
    return { kind: 'new', recordType, sender, citizen, bundle, expectedStatus: 201 };
  };

  const correction = (): Submission | undefined => {
    const index = Math.floor(random() * correctable.length);
    const [picked] = correctable.splice(index, 1);
    if (picked === undefined) return undefined;
    const { submission, recordId } = picked;
    const cancel = random() < 0.2;
    const bundle = cancel
      ? cancellationOf(submission.bundle, recordId)
      : replacementOf(submission.bundle, recordId, random);
    return { ...submission, kind: cancel ? 'cancellation' : 'replacement', bundle, expectedStatus: 201 };
  };

  return {
    citizens,
    establishments,
    next: (): Submission => {
      const roll = random();
      const invalidShare = options.invalidShare ?? 0;
      if (roll < invalidShare) {
        const valid = newDocument(weighted(random, mix));
        const kind = randomInvalidKind(random);
        const bundle = invalidVariant(valid.bundle, kind, valid.citizen.number);
        return { ...valid, kind: 'invalid', bundle, expectedStatus: INVALID_STATUS[kind] };
      }
      if (roll < invalidShare + (options.correctionShare ?? 0)) {
        const corrected = correction();
        if (corrected) return corrected;
      }
      return newDocument(weighted(random, mix));
    },
    accepted: (submission, recordId) => {
      if (submission.kind !== 'new') return;
      correctable.push({ submission, recordId });
      if (correctable.length > CORRECTABLE_MAX) correctable.shift();
    },
  };
};
