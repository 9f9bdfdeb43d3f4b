/**
 * Events exactly as ingest would append them for new documents, made without HTTP: synthetic RIA
 * documents validated by the real validator and decided by the real `decideSubmission`. A small
 * pool is validated once; seeding then reuses its payloads with fresh ids, streams and citizens.
 */
import {
  EVENT_TYPES,
  SCHEMA_VERSIONS,
  contentHash,
  decideSubmission,
  initialSubmissionState,
  submissionStream,
  type RecordSubmittedData,
} from '@nexo/domain';
import type { NewEvent } from '@nexo/eventstore';
import { createDocumentValidator } from '@nexo/fhir';
import { seededRandom } from '@nexo/identifiers';
import { newId } from '@nexo/runtime';
import { createWorkload } from '@nexo/testkit/synthetic';

export interface AcceptedTemplate {
  readonly sender: string;
  readonly data: RecordSubmittedData;
}

/** `size` distinct RIA documents, validated and decided as ingest does. */
export const acceptedTemplates = (size: number, seed: number): AcceptedTemplate[] => {
  const validator = createDocumentValidator();
  const workload = createWorkload({ seed, citizens: Math.max(1, size), establishments: 50 });
  const now = new Date();
  const templates: AcceptedTemplate[] = [];
  while (templates.length < size) {
    const submission = workload.next();
    const validated = validator.validate(submission.bundle, { now });
    if (!validated.ok)
      throw new Error(`a synthetic document failed validation: ${validated.problems[0]?.message ?? ''}`);
    const decision = decideSubmission(
      {
        document: validated.document,
        rawDocument: submission.bundle,
        contentHash: contentHash(submission.bundle),
        newRecordId: newId(),
      },
      initialSubmissionState(),
    );
    if (decision.kind !== 'append' || decision.type !== EVENT_TYPES.recordSubmitted)
      throw new Error('a synthetic document was not new');
    templates.push({ sender: submission.sender.cnes, data: decision.data as RecordSubmittedData });
  }
  return templates;
};

/**
 * The first-version event of a new submission stream, built from a template for another citizen.
 * `compact` keeps the Bundle's envelope only (resourceType, identifier, type, timestamp) instead of
 * the whole posted document: ~1 KB an event instead of ~4 KB, so that a 10M-event log fits on a
 * CI disk. The indexes an append touches (event id, stream + version, position) are the same size
 * either way; the table is smaller.
 */
export const submittedEvent = (
  template: AcceptedTemplate,
  citizen: { readonly key: string; readonly kind: 'CNS' | 'CPF'; readonly number: string },
  identifier: string,
  compact = false,
): { readonly stream: string; readonly event: NewEvent } => {
  const bundleIdentifier = { system: template.data.bundleIdentifier.system, value: identifier };
  const posted = template.data.document as { readonly type?: unknown; readonly timestamp?: unknown };
  const document = compact
    ? { resourceType: 'Bundle', identifier: bundleIdentifier, type: posted.type, timestamp: posted.timestamp }
    : template.data.document;
  const data: RecordSubmittedData = {
    ...template.data,
    recordId: newId(),
    bundleIdentifier,
    citizen: { kind: citizen.kind, number: citizen.number },
    document,
  };
  return {
    stream: submissionStream(template.sender, bundleIdentifier),
    event: {
      id: newId(),
      type: EVENT_TYPES.recordSubmitted,
      schemaVersion: SCHEMA_VERSIONS.RecordSubmitted,
      occurredAt: new Date().toISOString(),
      sender: template.sender,
      citizenKey: citizen.key,
      correlationId: newId(),
      data,
    },
  };
};

/** A random template picker, reproducible from the seed. */
export const templatePicker = (
  templates: readonly AcceptedTemplate[],
  seed: number,
): (() => AcceptedTemplate) => {
  const random = seededRandom(seed);
  return () => {
    const template = templates[Math.floor(random() * templates.length)];
    if (template === undefined) throw new RangeError('no templates');
    return template;
  };
};
