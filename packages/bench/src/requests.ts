/** Requests the load generators send: submissions from the synthetic workload, citizen card reads. */
import {
  createWorkload,
  type Submission,
  type Workload,
  type WorkloadOptions,
} from '@nexo/testkit/synthetic';
import type { BenchRequest, BenchResponse } from './load.ts';
import { progress } from './progress.ts';

export const BUNDLE_PATH = '/fhir/r4/Bundle';
export const CARD_PATH = '/citizen/v1/me/immunizations';

const submissionRequest = (submission: Submission): BenchRequest => ({
  method: 'POST',
  path: BUNDLE_PATH,
  headers: { 'content-type': 'application/fhir+json', authorization: `Bearer ${submission.sender.token}` },
  body: JSON.stringify(submission.bundle),
});

/**
 * `count` new, valid documents serialised ahead of the run, so that generating them costs the
 * load generator nothing while it measures. Past the end the list starts again (resends).
 */
export const prebuiltSubmissions = (
  options: WorkloadOptions,
  count: number,
): { next: () => BenchRequest; readonly size: number } => {
  const workload = createWorkload(options);
  const bar = progress('generating documents');
  const requests: BenchRequest[] = [];
  for (let i = 0; i < count; i += 1) {
    requests.push(submissionRequest(workload.next()));
    if (i % 1000 === 0) bar.update(`${i}/${count}`);
  }
  bar.done(
    `${count} documents, ${Math.round(requests.reduce((n, r) => n + (r.body?.length ?? 0), 0) / Math.max(count, 1))} bytes each on average`,
  );
  let index = 0;
  return {
    size: requests.length,
    next: () => {
      const request = requests[index % requests.length];
      index += 1;
      if (request === undefined) throw new RangeError('no prebuilt submissions');
      return request;
    },
  };
};

/**
 * The full mix, generated while the run goes on because corrections need the record ids the hub
 * answered: `next` draws a submission, `onResponse` tells the workload which were accepted.
 */
export const liveSubmissions = (
  workload: Workload,
): { next: () => BenchRequest; onResponse: (request: BenchRequest, response: BenchResponse) => void } => {
  const pending = new Map<BenchRequest, Submission>();
  return {
    next: () => {
      const submission = workload.next();
      const request = submissionRequest(submission);
      pending.set(request, submission);
      return request;
    },
    onResponse: (request, response) => {
      const submission = pending.get(request);
      pending.delete(request);
      const recordId = response.location?.split('/').at(-1);
      if (submission && response.status === 201 && recordId) workload.accepted(submission, recordId);
    },
  };
};

/**
 * Card reads, one per token in the order given (then around again): each token was signed for a
 * citizen drawn at random, so each read is a random citizen with a token the hub has not seen.
 */
export const cardReads = (tokens: readonly string[]): (() => BenchRequest) => {
  if (tokens.length === 0) throw new RangeError('no citizens to read');
  let next = 0;
  return () => {
    const token = tokens[next % tokens.length] as string;
    next += 1;
    return { method: 'GET', path: CARD_PATH, headers: { authorization: `Bearer ${token}` } };
  };
};
