/**
 * OpenAPI words for the routes that check their own input (`describeRoutes`): the correction
 * requests on both sides (the citizen's, the establishment's inbox) with the request view they
 * answer, the small state answers of the actions and the bodies, and the COVID-19 certificate.
 * Everything is open, and a body's fields carry descriptions, not types: the routes check their
 * bodies themselves and answer 422 naming the field, which a schema's validation (a 400) would
 * take over.
 */
import {
  ERROR_ANSWERS,
  FHIR_JSON_ERROR_ANSWERS,
  PAGE_QUERY,
  describedBody as body,
  openObject,
  type DocumentedSchema,
} from './route-schemas.ts';

const STATUS = { type: 'string', enum: ['open', 'answered', 'reopened', 'closed'] };

const REQUEST_SUMMARY = {
  protocol: { type: 'string', description: 'The protocol number, `<year>-<sequence>`' },
  recordId: { type: 'string', description: 'The record the request is about' },
  recordType: { type: 'string', enum: ['RIA', 'REL', 'RDM'] },
  establishment: { type: 'string', description: 'CNES of the establishment that sent the record' },
  status: STATUS,
  openedAt: { type: 'string', format: 'date-time' },
  updatedAt: { type: 'string', format: 'date-time', description: 'The last interaction' },
  closesAt: { type: 'string', format: 'date-time', description: 'While answered: when it closes by itself' },
  closedAt: { type: 'string', format: 'date-time' },
  closedBy: { type: 'string', enum: ['citizen', 'deadline'] },
  rating: openObject('The citizen’s rating, once closed', {
    value: { type: 'string' },
    comment: { type: 'string' },
  }),
  linkedRecords: {
    type: 'array',
    description: 'The replacements and cancellations of the record made since the request',
    items: openObject('A change of the record', {
      recordId: { type: 'string' },
      kind: { type: 'string', enum: ['replacement', 'cancellation'] },
      at: { type: 'string', format: 'date-time' },
    }),
  },
};

const REQUIRED = ['protocol', 'recordId', 'recordType', 'establishment', 'status', 'openedAt', 'updatedAt'];

const REQUEST_VIEW = openObject(
  'A correction request with its timeline',
  {
    ...REQUEST_SUMMARY,
    timeline: {
      type: 'array',
      items: openObject(
        'One step: requested, answered, reopened, record-replaced, record-cancelled, closed, rated',
        {
          at: { type: 'string', format: 'date-time' },
          by: { type: 'string', enum: ['citizen', 'establishment', 'system'] },
          kind: { type: 'string' },
        },
      ),
    },
  },
  [...REQUIRED, 'linkedRecords', 'timeline'],
);

const STATE_ANSWER = openObject(
  'The request’s state after the action',
  { protocol: { type: 'string' }, status: STATUS, closesAt: { type: 'string', format: 'date-time' } },
  ['protocol', 'status'],
);

const PROTOCOL_PARAM = {
  type: 'object',
  properties: { protocol: { type: 'string', description: 'The protocol number, `<year>-<sequence>`' } },
};

/** The citizen's list is one page: a `limit`, no cursor. */
const LIMIT_QUERY = {
  type: 'object',
  properties: { limit: { type: 'string', description: 'How many, 1 to 100 (default 20).' } },
};

const action = (tag: string, summary: string, bodyDescription: string, fields: Record<string, string>) => ({
  summary,
  tags: [tag],
  params: PROTOCOL_PARAM,
  body: body(bodyDescription, fields),
  response: { 200: STATE_ANSWER, ...ERROR_ANSWERS },
});

export const CITIZEN_CORRECTION_SCHEMAS: Readonly<Record<string, DocumentedSchema>> = {
  'POST /citizen/v1/me/correction-requests': {
    summary: 'Ask the establishment that sent one of your current records to correct it',
    tags: ['corrections'],
    body: body('The record and what is wrong with it', {
      recordId: 'A current record of yours (see the timeline)',
      message: 'What is wrong, 1 to 2,000 characters',
    }),
    response: {
      201: openObject('The request opened; `Location` names it', REQUEST_SUMMARY, [
        'protocol',
        'status',
        'recordId',
      ]),
      ...ERROR_ANSWERS,
    },
  },
  'GET /citizen/v1/me/correction-requests': {
    summary: 'Your correction requests, latest activity first (without their timelines)',
    tags: ['corrections'],
    querystring: LIMIT_QUERY,
    response: {
      200: openObject(
        'Your requests',
        { correctionRequests: { type: 'array', items: openObject('A request', REQUEST_SUMMARY, REQUIRED) } },
        ['correctionRequests'],
      ),
      ...ERROR_ANSWERS,
    },
  },
  'GET /citizen/v1/me/correction-requests/:protocol': {
    summary: 'One of your correction requests, with its timeline',
    tags: ['corrections'],
    params: PROTOCOL_PARAM,
    response: { 200: REQUEST_VIEW, ...ERROR_ANSWERS },
  },
  'POST /citizen/v1/me/correction-requests/:protocol/confirm': {
    ...action(
      'corrections',
      'Accept the answer: the request closes (before `closesAt`)',
      'Optionally the rating at once; without a body, the request closes unrated',
      { rating: 'very-dissatisfied … very-satisfied', comment: 'With a rating, up to 2,000 characters' },
    ),
    optionalBody: true,
  },
  'POST /citizen/v1/me/correction-requests/:protocol/reopen': action(
    'corrections',
    'Refuse the answer: the request goes back to the establishment (before `closesAt`)',
    'Why the answer does not do',
    { reason: '1 to 2,000 characters' },
  ),
  'POST /citizen/v1/me/correction-requests/:protocol/rating': action(
    'corrections',
    'Rate a closed request, once',
    'The rating',
    { rating: 'very-dissatisfied … very-satisfied', comment: 'Up to 2,000 characters' },
  ),
};

export const ESTABLISHMENT_CORRECTION_SCHEMAS: Readonly<Record<string, DocumentedSchema>> = {
  'GET /establishment/v1/correction-requests': {
    summary: 'The correction requests about your records, latest activity first',
    tags: ['establishment'],
    querystring: PAGE_QUERY,
    response: {
      200: openObject(
        'One page of the inbox',
        {
          correctionRequests: { type: 'array', items: REQUEST_VIEW },
          next: { type: 'string', description: 'Cursor of the next page; absent on the last one' },
        },
        ['correctionRequests'],
      ),
      ...ERROR_ANSWERS,
    },
  },
  'GET /establishment/v1/correction-requests/:protocol': {
    summary: 'One correction request about your records, with its timeline',
    tags: ['establishment'],
    params: PROTOCOL_PARAM,
    response: { 200: REQUEST_VIEW, ...ERROR_ANSWERS },
  },
  'POST /establishment/v1/correction-requests/:protocol/answer': action(
    'establishment',
    'Answer the request; the citizen then has 3 business days to confirm or reopen it',
    'The answer',
    { message: 'Free text, 1 to 2,000 characters; it need not name the corrected record' },
  ),
};

/** The COVID-19 certificate and its public verification (services/citizen/src/certificate). */
export const CERTIFICATE_SCHEMAS: Readonly<Record<string, DocumentedSchema>> = {
  'GET /citizen/v1/me/certificates/covid-19': {
    summary: 'Your COVID-19 vaccination certificate: a PDF, or its JSON form with format=json',
    tags: ['citizen'],
    querystring: {
      type: 'object',
      properties: {
        lang: { type: 'string', description: 'pt, en or es; otherwise from Accept-Language, else pt' },
        format: { type: 'string', description: 'json for the JSON form; the PDF otherwise' },
      },
    },
    response: {
      200: {
        description: 'The certificate: a PDF, or its JSON form (format=json, or an Accept preferring JSON)',
        content: {
          'application/pdf': { schema: { type: 'string', contentMediaType: 'application/pdf' } },
          'application/json': { schema: { type: 'object', additionalProperties: true } },
        },
      },
      // The route answers a PDF: Accept is not negotiated for its errors (negotiation.ts).
      ...FHIR_JSON_ERROR_ANSWERS,
    },
  },
  'GET /public/v1/certificates/verify/*': {
    summary: 'Verify a certificate’s code (public, no token)',
    tags: ['public'],
    response: {
      200: openObject(
        'Whether the code is genuine, and what it certifies',
        {
          valid: { type: 'boolean' },
          certificate: { type: 'string', description: 'What it certifies: covid-19' },
          issuedAt: { type: 'string', description: 'When it was issued' },
          doses: { type: 'integer', description: 'How many doses it lists' },
          lastDose: { type: 'string', description: 'The date of the last dose' },
          holder: { type: 'string', description: 'The masked name' },
        },
        ['valid'],
      ),
      ...ERROR_ANSWERS,
    },
  },
  'GET /public/v1/certificates/keys': {
    summary: 'The public keys certificate codes are signed with (JWKS)',
    tags: ['public'],
    response: {
      200: openObject('JWKS', { keys: { type: 'array', items: openObject('A public JWK', {}) } }, ['keys']),
      ...ERROR_ANSWERS,
    },
  },
};
