import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentValidator, type DocumentValidator } from '@nexo/fhir';
import { openIngest, riaBundle, type IngestUnderTest } from './ingest-harness.ts';

type Bundle = ReturnType<typeof riaBundle>;
interface Issue {
  severity: string;
  details?: { coding: Array<{ code: string }> };
  expression?: string[];
}

/** The Immunization without its note: what an earlier release, which let a note through unread, checked. */
const withoutNote = (input: unknown): unknown => {
  const bundle = structuredClone(input) as Bundle;
  delete bundle.entry[1]!.resource.note;
  return bundle;
};

/** The example with a note on the Immunization, which the national RIA-R model forbids. */
const withNote = (identifier: string, text: string): Bundle => {
  const bundle = riaBundle(identifier);
  bundle.entry[1]!.resource.note = [{ text }];
  return bundle;
};

/**
 * Checks grow stricter between releases: a document accepted by an earlier one may fail today's.
 * Sent again unchanged (a retry after a timeout, a sender replaying its queue), it is the resend it
 * is: the record it was accepted as, nothing appended, today's problems said as warnings. Only the
 * exact content counts: other content under the same identifier meets today's checks.
 */
describe('a resend of a document accepted before stricter checks', () => {
  let ingest: IngestUnderTest;
  const today = createDocumentValidator();
  let release: 'earlier' | 'today' = 'earlier';
  const validator: DocumentValidator = {
    profiles: today.profiles,
    codeSystems: today.codeSystems,
    validate: (input, options) => today.validate(release === 'earlier' ? withoutNote(input) : input, options),
  };
  beforeAll(async () => {
    ingest = await openIngest({ projector: false, validator });
  });
  afterAll(() => ingest.close());

  it('is answered 201 with the record it was accepted as, and today’s problems as warnings', async () => {
    release = 'earlier';
    const document = withNote('stricter-1', 'aplicada no braço esquerdo');
    const recordId = await ingest.accepted(document);
    release = 'today';
    const answer = await ingest.post(document);
    expect(answer.status).toBe(201);
    expect(String(answer.location).split('/').at(-1)).toBe(recordId);
    const issues = (answer.body as { issue: Issue[] }).issue;
    expect(issues.map((issue) => [issue.severity, issue.details?.coding[0]?.code, issue.expression])).toEqual(
      [
        ['information', undefined, undefined],
        ['warning', 'NEXO_WARN_ACCEPTED_BEFORE_CHECKS', ['Bundle.identifier']],
        ['warning', 'NEXO_ERR_VALIDATION_PROFILE', ['Bundle.entry[1].resource.note']],
      ],
    );
  });

  it('other content under the identifier is refused by today’s checks', async () => {
    release = 'earlier';
    await ingest.accepted(withNote('stricter-2', 'first note'));
    release = 'today';
    const answer = await ingest.post(withNote('stricter-2', 'another note'));
    expect(answer.status).toBe(422);
    const issues = (answer.body as { issue: Issue[] }).issue;
    expect(issues.map((issue) => issue.expression)).toEqual([['Bundle.entry[1].resource.note']]);
  });

  it('a document never accepted is refused as before', async () => {
    release = 'today';
    expect((await ingest.post(withNote('stricter-3', 'a note'))).status).toBe(422);
  });
});
