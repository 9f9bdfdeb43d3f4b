/**
 * How fast this machine is on the day, measured with a fixed piece of the hub's own work: parse,
 * validate and hash one RIA bundle, on one thread, with no I/O. The same code measures from 20%
 * to 2.5-fold apart from one period to another on these VMs, so two runs' figures can be compared
 * only next to this one: a run whose reference work took 1.5 times longer is a slower machine, not
 * slower code.
 */
import { contentHash } from '@nexo/domain';
import { createDocumentValidator } from '@nexo/fhir';
import { createWorkload } from '@nexo/testkit/synthetic';
import { log } from './progress.ts';

const DOCUMENTS = 500;
const ROUNDS = 9;

export interface ReferenceWork {
  /** Median over the rounds of the microseconds one bundle took. */
  readonly microsPerBundle: number;
  /** The fastest and slowest rounds, to show how steady the machine was meanwhile. */
  readonly fastest: number;
  readonly slowest: number;
}

/** The rounds that warm up (compilation of the validators and the rules) and are not counted. */
const WARM_UP_ROUNDS = 2;

/** Runs the reference work: the median round, and the fastest and slowest to show the spread. */
export const measureReferenceWork = (
  seed: number,
  sizes: { readonly documents: number; readonly rounds: number } = { documents: DOCUMENTS, rounds: ROUNDS },
): ReferenceWork => {
  const validator = createDocumentValidator();
  const workload = createWorkload({ seed, citizens: sizes.documents, establishments: 20 });
  const bodies = Array.from({ length: sizes.documents }, () => JSON.stringify(workload.next().bundle));
  const now = new Date();
  const rounds: number[] = [];
  for (let round = 0; round < WARM_UP_ROUNDS + sizes.rounds; round += 1) {
    const started = performance.now();
    for (const body of bodies) {
      const bundle: unknown = JSON.parse(body);
      if (!validator.validate(bundle, { now }).ok) throw new Error('a reference document failed validation');
      contentHash(bundle);
    }
    if (round >= WARM_UP_ROUNDS) rounds.push(((performance.now() - started) * 1000) / sizes.documents);
  }
  rounds.sort((a, b) => a - b);
  const work = {
    microsPerBundle: rounds[Math.floor(rounds.length / 2)] ?? Number.NaN,
    fastest: rounds[0] ?? Number.NaN,
    slowest: rounds.at(-1) ?? Number.NaN,
  };
  log(
    `reference work: ${work.microsPerBundle.toFixed(0)} µs per RIA bundle (parse, validate, hash; one thread)`,
  );
  return work;
};
