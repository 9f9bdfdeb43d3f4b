import {
  ERROR_ANSWERS,
  OUTCOME_ANSWER,
  OPERATION_OUTCOME_SCHEMA,
  PAGE_QUERY,
  negotiatedJson,
  openObject,
  type DocumentedSchema,
  type RouteSchemas,
} from '@nexo/runtime';

/**
 * Route schemas of the sender API: the OpenAPI description (`/docs`) and fast serialisation of
 * the answers. Every object is open (`additionalProperties`), so serialisation never drops an
 * element; request bodies are described, never validated here (the document validator does it).
 * The FHIR routes answer `application/fhir+json`, or `application/json` when Accept prefers it;
 * the establishment's lists are plain `application/json`.
 */

const BUNDLE_IDENTIFIER = openObject('Bundle.identifier as sent', {
  system: { type: 'string' },
  value: { type: 'string' },
});

const perBase = (
  bases: readonly string[],
  entries: (base: string) => Record<string, DocumentedSchema>,
): Record<string, DocumentedSchema> => Object.assign({}, ...bases.map(entries));

/** The sender routes' schemas, under each FHIR base. */
export const ingestRouteSchemas = (bases: readonly string[]): RouteSchemas => ({
  ...perBase(bases, (base) => ({
    [`POST ${base}/Bundle`]: {
      summary: 'Submit a document Bundle (RIA, REL or RDM)',
      description:
        'A FHIR document Bundle of a national model. 201 with Location and Content-Location naming the record once ' +
        'the events are durable; a resend of the same document answers the same record; relatesTo replaces corrects or cancels.',
      body: { description: 'FHIR Bundle (type document), application/fhir+json' },
      response: { 201: OUTCOME_ANSWER, ...ERROR_ANSWERS },
    },
    [`GET ${base}/Bundle/:id`]: {
      summary: 'Read back a document this establishment sent',
      params: {
        type: 'object',
        properties: { id: { type: 'string', description: 'Record id from Location' } },
      },
      response: {
        200: negotiatedJson(
          'The Bundle as posted, with its record id and status tag',
          openObject('FHIR Bundle (type document)'),
        ),
        ...ERROR_ANSWERS,
      },
    },
  })),
  'GET /establishment/v1/submissions': {
    summary: 'Documents this establishment sent, newest first',
    querystring: PAGE_QUERY,
    response: {
      200: openObject('One page of submissions', {
        submissions: {
          type: 'array',
          items: openObject('A submission and its status', {
            recordId: { type: 'string' },
            recordType: { type: 'string', enum: ['RIA', 'REL', 'RDM'] },
            bundleIdentifier: BUNDLE_IDENTIFIER,
            receivedAt: { type: 'string', format: 'date-time' },
            kind: { type: 'string', enum: ['original', 'replacement', 'cancellation'] },
            status: {
              type: 'string',
              enum: ['current', 'replaced', 'cancelled'],
              description:
                'current: the version the citizen sees; replaced or cancelled: a later version replaced or cancelled it. A cancellation is cancelled itself.',
            },
            replaces: { type: 'string', description: 'The record a replacement or cancellation names' },
            replacedBy: { type: 'string' },
          }),
        },
        next: { type: 'string', description: 'Cursor of the next page; absent on the last one' },
      }),
      ...ERROR_ANSWERS,
    },
  },
  'GET /establishment/v1/rejections': {
    summary: 'Documents of this establishment that were rejected, newest first',
    querystring: PAGE_QUERY,
    response: {
      200: openObject('One page of rejections', {
        rejections: {
          type: 'array',
          items: openObject('A rejected submission with its OperationOutcome', {
            rejectionId: { type: 'string' },
            rejectedAt: { type: 'string', format: 'date-time' },
            status: { type: 'integer', description: 'HTTP status the submission was answered with' },
            bundleIdentifier: BUNDLE_IDENTIFIER,
            recordType: { type: 'string', enum: ['RIA', 'REL', 'RDM'] },
            outcome: OPERATION_OUTCOME_SCHEMA,
          }),
        },
        next: { type: 'string', description: 'Cursor of the next page; absent on the last one' },
      }),
      ...ERROR_ANSWERS,
    },
  },
});

/** The conformance routes' schemas (metadata, $validate), under each FHIR base. */
export const fhirOperationSchemas = (bases: readonly string[]): RouteSchemas =>
  perBase(bases, (base) => ({
    [`GET ${base}/metadata`]: {
      summary: 'CapabilityStatement: what this server really does',
      response: {
        200: negotiatedJson(
          'What this server really does',
          openObject('FHIR CapabilityStatement (kind instance)'),
        ),
        ...ERROR_ANSWERS,
      },
    },
    [`POST ${base}/Bundle/$validate`]: {
      summary: 'Validate a document without storing it',
      description:
        '200 with an OperationOutcome of information and warning issues when the document would be accepted; ' +
        '422 with the problems (codes and FHIRPath) otherwise. Nothing is stored or listed as a rejection.',
      querystring: {
        type: 'object',
        properties: {
          mode: { type: 'string', description: 'Omit, or create.' },
          profile: { type: 'string', description: 'A profile from supportedProfile in metadata.' },
        },
      },
      body: {
        description: 'The FHIR Bundle itself, or a Parameters resource with a parameter named resource',
      },
      response: { 200: OUTCOME_ANSWER, ...ERROR_ANSWERS },
    },
  }));
