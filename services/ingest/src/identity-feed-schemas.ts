/**
 * OpenAPI words for the national registry's identity feed (`describeRoutes`). The bodies' fields
 * carry descriptions, not types: the routes check their bodies themselves and answer 422 naming the
 * field (`identifiers[1]`, `birthDate`), which a schema's validation (a 400) would take over.
 */
import { ERROR_ANSWERS, describedBody, openObject, type RouteSchemas } from '@nexo/runtime';

const PERSON_PARAM = {
  type: 'object',
  properties: { personId: { type: 'string', description: 'The person id the feed answered' } },
};

const IDENTIFIERS =
  'Required: 1 to 20 `{system, value}` citizen identifiers (CNS or CPF, the systems senders use); ' +
  'of each, only `system` and `value` are read';

const CHANGE = openObject(
  'The person the call is about, and whether it changed anything',
  { personId: { type: 'string' }, changed: { type: 'boolean' } },
  ['personId', 'changed'],
);

const CITIZEN_ID = openObject(
  'A national number',
  { kind: { type: 'string', enum: ['CNS', 'CPF'] }, number: { type: 'string' } },
  ['kind', 'number'],
);

const TEXT = 'Optional: text of 1 to 200 characters';

const CHANGES =
  '401 `NEXO_ERR_UNAUTHENTICATED` without the registry’s token. Answered once the views the citizen API reads hold the change; a 503 `NEXO_ERR_UNAVAILABLE` with ' +
  '`Retry-After` when the registry’s view stays behind past the deadline (nothing applied: send it again). ' +
  '409 `NEXO_ERR_IDENTITY_CONFLICT` changes nothing; its `expression` names what conflicts. 404 for an ' +
  'unknown person; 422 naming the field for an invalid identifier, a wrong type or a field the route does ' +
  'not take.';

const identifiersCall = (summary: string, answer: string) => ({
  summary,
  description: `${answer} ${CHANGES}`,
  params: PERSON_PARAM,
  body: describedBody('The identifiers; no other field is taken', { identifiers: IDENTIFIERS }),
  response: { 200: CHANGE, ...ERROR_ANSWERS },
});

export const IDENTITY_FEED_SCHEMAS: RouteSchemas = {
  'POST /identity/v1/persons': {
    summary: 'Identify a person: a new one, or the one its identifiers already name',
    description:
      '201 for a new person; 200 when the identifiers already name one (identifiers added, demographics ' +
      `replaced; \`changed: false\` when that changes nothing). ${CHANGES}`,
    body: describedBody('The identifiers and the demographics; `address` is accepted and never kept', {
      identifiers: IDENTIFIERS,
      name: TEXT,
      motherName: TEXT,
      birthDate: 'Optional: a calendar date, YYYY-MM-DD, not in the future',
      sex: 'Optional: male, female or unknown',
      birthPlace: TEXT,
      address: 'Optional: accepted and not stored',
    }),
    response: { 201: CHANGE, 200: CHANGE, ...ERROR_ANSWERS },
  },
  'POST /identity/v1/persons/:personId/identifiers': identifiersCall(
    'Link identifiers to a person',
    '`changed: false` when all were linked already.',
  ),
  'POST /identity/v1/persons/:personId/unlink': identifiersCall(
    'Unlink identifiers linked to a person by mistake: they name nobody afterwards',
    'A person keeps at least one identifier; `changed: false` when the person held none of them.',
  ),
  'POST /identity/v1/persons/:personId/merge': {
    summary: 'Merge a person into this one, which then holds its identifiers',
    description: CHANGES,
    params: PERSON_PARAM,
    body: describedBody('The person merged; no other field is taken', {
      mergedPersonId: 'Required: a person id of 1 to 64 characters',
    }),
    response: { 200: CHANGE, ...ERROR_ANSWERS },
  },
  'GET /identity/v1/persons/:personId': {
    summary: 'A person, as of every identity change already answered',
    description:
      'A merged person answers `mergedInto`, no identifiers and no `displayCns`. 401 without the registry’s ' +
      'token; 404 `NEXO_ERR_NOT_FOUND` for ' +
      'an unknown person; 503 `NEXO_ERR_UNAVAILABLE` with `Retry-After` when the view stays behind.',
    params: PERSON_PARAM,
    response: {
      200: openObject(
        'The person',
        {
          personId: { type: 'string' },
          identifiers: { type: 'array', items: CITIZEN_ID, description: 'Every number that names them' },
          demographics: openObject('As the registry last sent them', {
            name: { type: 'string' },
            motherName: { type: 'string' },
            birthDate: { type: 'string', format: 'date' },
            sex: { type: 'string', enum: ['male', 'female', 'unknown'] },
            birthPlace: { type: 'string' },
          }),
          displayCns: { type: 'string', description: 'The definitive CNS shown to the citizen' },
          mergedInto: { type: 'string', description: 'Set once merged: the survivor’s person id' },
        },
        ['personId', 'identifiers', 'demographics'],
      ),
      ...ERROR_ANSWERS,
    },
  },
};
