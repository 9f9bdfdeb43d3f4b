/**
 * Reading a JSON body: the media types it may come under, its encoding and charset, and the one
 * parser every route's JSON body goes through (depth limit and prototype-pollution keys in
 * safe-json.ts).
 */
import type { FastifyInstance } from 'fastify';
import { NexoError, isNexoError } from '@nexo/fhir';
import { keepJsonText } from '@nexo/eventstore';
import { NOT_JSON, parseJsonBody } from './safe-json.ts';
import { FHIR_MEDIA_TYPES } from './negotiation.ts';

/**
 * The media types of a JSON body, as the edge's body parser reads them: FHIR's, plain JSON's, and
 * `application/json+fhir`, the DSTU2 name older senders still label their bodies with. Any other
 * is 415. The hub's OpenAPI description lists these for every body a route reads as JSON.
 */
export const JSON_BODY_TYPES = [...FHIR_MEDIA_TYPES, 'application/json+fhir'] as const;

/** The same types with plain JSON first: how a body that is not a FHIR resource is described. */
export const PLAIN_JSON_FIRST = [
  'application/json',
  ...JSON_BODY_TYPES.filter((type) => type !== 'application/json'),
] as const;

/** Parses every JSON body once, under each of `JSON_BODY_TYPES`; any other type is refused (415). */
export const installJsonBodyParser = (app: FastifyInstance): void => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser([...JSON_BODY_TYPES], { parseAs: 'buffer' }, (request, body, done) => {
    // Depth limit and prototype-pollution keys are checked there (safe-json.ts).
    try {
      refuseContentEncoding(request.headers['content-encoding']);
      const text = utf8BodyText(request.headers['content-type'], body as Buffer);
      const value = parseJsonBody(text);
      // A posted Bundle goes to the log as the text it came in, not serialised again.
      keepJsonText(value, text);
      done(null, value);
    } catch (err) {
      done(isNexoError(err) ? err : new NexoError('NEXO_ERR_UNPARSABLE', NOT_JSON), undefined);
    }
  });
};

/**
 * A compressed body would read as bytes that are not UTF-8; say what is wrong instead. For every
 * body parser: JSON here, the token endpoint's form (`@nexo/auth`).
 */
export const refuseContentEncoding = (encoding: string | undefined): void => {
  if (encoding === undefined || /^\s*identity\s*$/i.test(encoding)) return;
  throw new NexoError('NEXO_ERR_MEDIA_TYPE', [
    {
      code: 'NEXO_ERR_MEDIA_TYPE',
      expression: 'Content-Encoding',
      message: `Content-Encoding ${encoding.slice(0, 40)} is not accepted; send the body uncompressed.`,
    },
  ]);
};

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)/i;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The body as text. FHIR JSON is UTF-8: another declared charset is a 415, and bytes that are not
 * UTF-8 (a Latin-1 "é", say) a 400. Decoding them with replacement characters would store a lot
 * number the sender never sent, and two different lots could then hash alike, turning a
 * correction into a "resend, nothing changed". A leading byte order mark is dropped.
 */
const utf8BodyText = (contentType: string | undefined, body: Buffer): string => {
  const charset = CHARSET.exec(contentType ?? '')?.[1]?.toLowerCase();
  // US-ASCII text is UTF-8 as it stands; a byte past it is refused below like any non-UTF-8 byte.
  if (charset !== undefined && !['utf-8', 'utf8', 'us-ascii'].includes(charset))
    throw new NexoError('NEXO_ERR_MEDIA_TYPE', [
      {
        code: 'NEXO_ERR_MEDIA_TYPE',
        expression: 'Content-Type',
        message: `FHIR JSON is UTF-8; send the body encoded as UTF-8 (charset=utf-8), not ${charset.slice(0, 40)}.`,
      },
    ]);
  try {
    return UTF8.decode(body);
  } catch {
    throw new NexoError(
      'NEXO_ERR_UNPARSABLE',
      'the body is not valid UTF-8; FHIR JSON is encoded in UTF-8 (check the sender’s text encoding).',
    );
  }
};
