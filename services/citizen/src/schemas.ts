import { OPERATION_OUTCOME_SCHEMA, type RouteSchemas } from '@nexo/runtime';

/**
 * Route schemas of the citizen API: its OpenAPI description (`/docs`) and fast serialisation of
 * the answers. Every object is open (`additionalProperties`), so serialisation never drops an
 * element a view adds; the properties listed are the ones a client can rely on.
 */
const open = (description: string, properties: Record<string, unknown> = {}, required: string[] = []) => ({
  type: 'object',
  description,
  additionalProperties: true,
  properties,
  ...(required.length > 0 ? { required } : {}),
});

const CODED = open('A code, with its display when the hub knows the code', {
  system: { type: 'string' },
  code: { type: 'string' },
  display: { type: 'string' },
});

const ERRORS = { '4xx': OPERATION_OUTCOME_SCHEMA, '5xx': OPERATION_OUTCOME_SCHEMA };
const RECORD_TYPE = { type: 'string', enum: ['RIA', 'REL', 'RDM'] };
const INSTANT = { type: 'string', description: 'FHIR date or dateTime' };

const ESTABLISHMENT_NAME = {
  type: 'string',
  description: 'The name the sending establishment registered under; absent when it never registered one',
};

const entry = (who: string, whoDescription: string, fact: string, factSchema: object) =>
  open(
    'One current record',
    {
      recordId: { type: 'string' },
      [who]: { type: 'string', description: whoDescription },
      establishmentName: ESTABLISHMENT_NAME,
      recordedAt: { type: 'string', format: 'date-time', description: 'When Nexo recorded it' },
      [fact]: factSchema,
    },
    ['recordId', who, 'recordedAt', fact],
  );

const list = (summary: string, key: string, item: object) => ({
  summary,
  tags: ['citizen'],
  response: { 200: open(summary, { [key]: { type: 'array', items: item } }, [key]), ...ERRORS },
});

export const CITIZEN_ROUTE_SCHEMAS: RouteSchemas = {
  'GET /citizen/v1/me': {
    summary: 'Who the token names: the identifiers and, when known, the registry demographics',
    response: ERRORS,
  },
  'GET /citizen/v1/me/immunizations': list(
    'The vaccination card, newest first',
    'immunizations',
    entry(
      'establishment',
      'CNES of the vaccination site',
      'immunization',
      open('Vaccine, dose, occurrence, lot, manufacturer, site, route, strategy, transcription', {
        vaccine: CODED,
        dose: CODED,
        occurrence: INSTANT,
        lotNumber: { type: 'string' },
        manufacturer: CODED,
      }),
    ),
  ),
  'GET /citizen/v1/me/lab-results': list(
    'Exam results, newest first',
    'labResults',
    entry(
      'laboratory',
      'CNES of the laboratory that issued the result (the one to ask for a correction)',
      'exam',
      open('The results of one lab report', {
        results: {
          type: 'array',
          items: open('Exam, category, issued, method, reference range, value, specimen', {
            exam: CODED,
            issued: INSTANT,
            method: { type: 'string' },
            referenceRange: { type: 'string' },
            value: open('qualitative (result) or quantitative (value, unit)'),
          }),
        },
      }),
    ),
  ),
  'GET /citizen/v1/me/dispensations': list(
    'Medicines dispensed, newest first',
    'dispensations',
    entry(
      'pharmacy',
      'CNES of the pharmacy',
      'dispensation',
      open('The medicines handed over in one dispensation', {
        dispensations: {
          type: 'array',
          items: open('Medicine, form, quantity, hand-over and prescription dates, programme', {
            medication: CODED,
            quantity: open('Quantity handed over', { value: { type: 'number' }, unit: { type: 'string' } }),
            handedOver: INSTANT,
            prescribedAt: INSTANT,
            programme: CODED,
          }),
        },
      }),
    ),
  ),
  'GET /citizen/v1/me/timeline': {
    summary: 'Every current record, newest first by the date of the clinical fact',
    tags: ['citizen'],
    querystring: {
      type: 'object',
      properties: {
        limit: { type: 'string', description: 'Page size, 1 to 100 (default 20).' },
        cursor: { type: 'string', description: 'The `next` of the previous page.' },
      },
    },
    response: {
      200: open(
        'One page of the timeline',
        {
          entries: {
            type: 'array',
            items: open(
              'A record on the timeline',
              {
                recordId: { type: 'string' },
                recordType: RECORD_TYPE,
                occurredAt: INSTANT,
                establishment: { type: 'string', description: 'CNES of the sender' },
                establishmentName: ESTABLISHMENT_NAME,
                summary: open('The record summary, as in the card, results or medicines'),
              },
              ['recordId', 'recordType', 'occurredAt', 'establishment', 'summary'],
            ),
          },
          next: { type: 'string', description: 'Cursor of the next page; absent on the last one' },
        },
        ['entries'],
      ),
      ...ERRORS,
    },
  },
};
