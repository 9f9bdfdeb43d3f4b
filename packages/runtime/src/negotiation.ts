import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NexoError } from '@nexo/fhir';

/**
 * FHIR content negotiation (http://hl7.org/fhir/R4/http.html#mime-type): Nexo speaks JSON
 * only. `_format` overrides `Accept`; a request for XML, Turtle or any other representation is
 * answered 406 with an OperationOutcome. A body in another format is 415 (the body parser).
 */
export const FHIR_MEDIA_TYPES = ['application/fhir+json', 'application/json'] as const;

/** The formats a CapabilityStatement declares (`CapabilityStatement.format`). */
export const CAPABILITY_FORMATS = ['application/fhir+json', 'json'] as const;

/** `_format` values that mean JSON; `application/json+fhir` is the DSTU2 name some clients still send. */
const JSON_FORMAT_PARAMS = new Set([
  'json',
  'application/json',
  'application/fhir+json',
  'application/json+fhir',
]);

/** Media ranges of `Accept` under which a JSON answer is acceptable. */
const JSON_RANGES = new Set([
  'application/fhir+json',
  'application/json',
  'application/json+fhir',
  'application/*',
  '*/*',
]);

/**
 * Route config marking a route that answers something other than JSON (an HTML page, the
 * Prometheus text format): `Accept` is then not checked, only `_format`.
 */
export interface MediaRouteConfig {
  readonly produces?: string;
}

interface AcceptRange {
  readonly type: string;
  readonly q: number;
}

const parseAccept = (header: string): AcceptRange[] =>
  header
    .split(',')
    .map((part) => {
      const [type = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
      const q = params.find((p) => p.startsWith('q='));
      const weight = q === undefined ? 1 : Number(q.slice(2));
      return { type, q: Number.isFinite(weight) ? weight : 0 };
    })
    .filter((range) => range.type !== '');

/** Whether the client accepts JSON, and whether it prefers plain `application/json` to FHIR's type. */
const negotiate = (accept: string | undefined): { acceptable: boolean; plainJson: boolean } => {
  if (!accept || accept.trim() === '') return { acceptable: true, plainJson: false };
  const ranges = parseAccept(accept).filter((r) => r.q > 0);
  const weight = (type: string) => Math.max(0, ...ranges.filter((r) => r.type === type).map((r) => r.q));
  return {
    acceptable: ranges.some((r) => JSON_RANGES.has(r.type)),
    plainJson:
      weight('application/json') > Math.max(weight('application/fhir+json'), weight('application/json+fhir')),
  };
};

const firstValue = (value: unknown): string | undefined =>
  typeof value === 'string'
    ? value
    : Array.isArray(value) && typeof value[0] === 'string'
      ? value[0]
      : undefined;

const notAcceptable = (asked: string): NexoError =>
  new NexoError('NEXO_ERR_NOT_ACCEPTABLE', [
    {
      code: 'NEXO_ERR_NOT_ACCEPTABLE',
      message: `${asked} is not available: Nexo answers JSON only (${FHIR_MEDIA_TYPES.join(', ')}, or _format=json).`,
      expression: asked.startsWith('_format') ? '_format' : 'Accept',
    },
  ]);

/** Requests that asked for plain `application/json`: their FHIR answers are labelled so. */
const wantsPlainJson = new WeakSet<FastifyRequest>();

/**
 * The media type of a JSON answer made after the relabelling below (a hook that replaces the
 * answer, such as the audit trail's 429 and 503): FHIR's, or plain JSON when `Accept` prefers it.
 */
export const jsonAnswerType = (request: FastifyRequest): string =>
  `${wantsPlainJson.has(request) ? FHIR_MEDIA_TYPES[1] : FHIR_MEDIA_TYPES[0]}; charset=utf-8`;

/**
 * Installs the checks on every route: `_format` (every route) and `Accept` (routes that answer
 * JSON). Unknown paths are left to the 404/405 handler.
 */
export const installContentNegotiation = (app: FastifyInstance): void => {
  app.addHook('onRequest', async (request: FastifyRequest) => {
    if (request.is404) return;
    const format = firstValue((request.query as Record<string, unknown> | undefined)?._format);
    if (format !== undefined) {
      if (!JSON_FORMAT_PARAMS.has(format.trim().toLowerCase()))
        throw notAcceptable(`_format=${format.slice(0, 64)}`);
      return;
    }
    if ((request.routeOptions.config as MediaRouteConfig).produces) return;
    const accept = request.headers.accept;
    const { acceptable, plainJson } = negotiate(accept);
    if (!acceptable) throw notAcceptable(`Accept: ${(accept ?? '').slice(0, 64)}`);
    if (plainJson) wantsPlainJson.add(request);
  });
  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    if (
      wantsPlainJson.has(request) &&
      String(reply.getHeader('content-type') ?? '').startsWith(FHIR_MEDIA_TYPES[0])
    )
      reply.type('application/json; charset=utf-8');
    return payload;
  });
};
