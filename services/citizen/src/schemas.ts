import { ERROR_ANSWERS, PAGE_QUERY, openObject, type RouteSchemas } from '@nexo/runtime';

/**
 * Route schemas of the citizen API: its OpenAPI description (`/docs`) and fast serialisation of
 * the answers. Every object is open (`additionalProperties`), so serialisation never drops an
 * element a view adds; the properties listed are the ones a client can rely on.
 */

const CODED = openObject('A code, with its display when the hub knows the code', {
  system: { type: 'string' },
  code: { type: 'string' },
  display: { type: 'string' },
});

const RECORD_TYPE = { type: 'string', enum: ['RIA', 'REL', 'RDM'] };
const INSTANT = { type: 'string', description: 'FHIR date or dateTime' };

/** RIA-R: Immunization.reasonReference, a BRCID10Avaliado-1.0 Condition (a diagnosis: the citizen's only). */
const VACCINATION_REASON = openObject(
  'Why the dose was given (RIA-R): the CID-10 condition, with what the sender said about it',
  {
    condition: CODED,
    category: CODED,
    clinicalStatus: CODED,
    onset: INSTANT,
    note: { type: 'string' },
  },
  ['condition'],
);

const ESTABLISHMENT_NAME = {
  type: 'string',
  description: 'The name the sending establishment registered under; absent when it never registered one',
};

const entry = (who: string, whoDescription: string, fact: string, factSchema: object) =>
  openObject(
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
  response: { 200: openObject(summary, { [key]: { type: 'array', items: item } }, [key]), ...ERROR_ANSWERS },
});

export const CITIZEN_ROUTE_SCHEMAS: RouteSchemas = {
  'GET /citizen/v1/me': {
    summary: 'Who the token names: the identifiers and, when known, the registry demographics',
    response: {
      200: openObject(
        'The citizen: every identifier the registry links to them',
        {
          cns: {
            type: 'string',
            description: 'The definitive CNS when the registry knows one, else a CNS held',
          },
          cpf: { type: 'string' },
          identifiers: {
            type: 'array',
            items: openObject(
              'An identifier',
              { kind: { type: 'string', enum: ['CNS', 'CPF'] }, number: { type: 'string' } },
              ['kind', 'number'],
            ),
          },
          demographics: openObject('From the national registry, when it identified the citizen'),
        },
        ['identifiers'],
      ),
      ...ERROR_ANSWERS,
    },
  },
  'GET /citizen/v1/me/immunizations': list(
    'The vaccination card, newest first',
    'immunizations',
    entry(
      'establishment',
      'CNES of the vaccination site',
      'immunization',
      openObject(
        'Vaccine, dose, occurrence, lot, manufacturer, site, route, strategy, transcription, reason',
        {
          vaccine: CODED,
          dose: CODED,
          occurrence: INSTANT,
          lotNumber: { type: 'string' },
          manufacturer: CODED,
          reason: VACCINATION_REASON,
        },
      ),
    ),
  ),
  'GET /citizen/v1/me/lab-results': list(
    'Exam results, newest first',
    'labResults',
    entry(
      'laboratory',
      'CNES of the laboratory that issued the result (the one to ask for a correction)',
      'exam',
      openObject('The results of one lab report', {
        results: {
          type: 'array',
          items: openObject('Exam, category, issued, method, reference range, value, specimen', {
            exam: CODED,
            issued: INSTANT,
            method: { type: 'string' },
            referenceRange: { type: 'string' },
            value: openObject('qualitative (result) or quantitative (value, unit)'),
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
      openObject('The medicines handed over in one dispensation', {
        dispensations: {
          type: 'array',
          items: openObject(
            'Medicine, form, quantity, hand-over and prescription dates, programme, usage guidance',
            {
              medication: CODED,
              quantity: openObject('Quantity handed over', {
                value: { type: 'number' },
                unit: { type: 'string' },
              }),
              handedOver: INSTANT,
              prescribedAt: INSTANT,
              programme: CODED,
              dosageText: {
                type: 'string',
                description: 'The usage guidance the pharmacy wrote (MedicationDispense.note)',
              },
            },
          ),
        },
      }),
    ),
  ),
  'GET /citizen/v1/me/timeline': {
    summary: 'Every current record, newest first by the date of the clinical fact',
    tags: ['citizen'],
    querystring: PAGE_QUERY,
    response: {
      200: openObject(
        'One page of the timeline',
        {
          entries: {
            type: 'array',
            items: openObject(
              'A record on the timeline',
              {
                recordId: { type: 'string' },
                recordType: RECORD_TYPE,
                occurredAt: INSTANT,
                establishment: { type: 'string', description: 'CNES of the sender' },
                establishmentName: ESTABLISHMENT_NAME,
                summary: openObject('The record summary, as in the card, results or medicines'),
              },
              ['recordId', 'recordType', 'occurredAt', 'establishment', 'summary'],
            ),
          },
          next: { type: 'string', description: 'Cursor of the next page; absent on the last one' },
        },
        ['entries'],
      ),
      ...ERROR_ANSWERS,
    },
  },
};
