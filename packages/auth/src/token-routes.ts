import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NexoError } from '@nexo/fhir';
import { isValidCnes, isValidCpf } from '@nexo/identifiers';
import { describeRoutes, refuseContentEncoding } from '@nexo/runtime';
import { CHALLENGES } from './challenges.ts';
import type { EstablishmentRegistry } from './registry.ts';
import { UNMATCHABLE_HASH, verifySecret } from './secrets.ts';
import type { SenderTokens } from './sender-tokens.ts';
import { DEV_ISSUER_PATH, type DevIssuer } from './dev-issuer.ts';
import { TOKEN_ROUTE_SCHEMAS } from './token-schemas.ts';
import type { AuditTrail } from './trail.ts';

export interface TokenRouteDeps {
  readonly registry: EstablishmentRegistry;
  readonly senderTokens: SenderTokens;
  readonly trail: AuditTrail;
  /** Only in development mode. */
  readonly devIssuer?: DevIssuer;
  readonly rateLimitPerMinute: number;
}

const FORM = 'application/x-www-form-urlencoded';

/** A form or JSON body as a string lookup; anything else reads as empty. */
const fieldsOf = (body: unknown): ((name: string) => string | undefined) => {
  if (body instanceof URLSearchParams) return (name) => body.get(name) ?? undefined;
  if (typeof body === 'object' && body !== null && !Array.isArray(body))
    return (name) => {
      const value = (body as Record<string, unknown>)[name];
      return typeof value === 'string' ? value : undefined;
    };
  return () => undefined;
};

/** RFC 6749 §2.3.1: `Basic base64(urlencoded(id) ":" urlencoded(secret))`. */
const basicCredentials = (request: FastifyRequest): { id: string; secret: string } | undefined => {
  const match = /^Basic +([A-Za-z0-9+/=]{1,1024})$/i.exec(request.headers.authorization ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  try {
    return {
      id: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')),
      secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')),
    };
  } catch {
    return undefined;
  }
};

const noStore = (reply: FastifyReply) =>
  reply.header('cache-control', 'no-store').header('pragma', 'no-cache');

/**
 * `POST /auth/token`: the OAuth 2.0 client-credentials grant for senders (client id = CNES,
 * secret in the form or in HTTP Basic), and in development mode the development issuer's JWKS,
 * discovery document and demo login. Failures are OperationOutcomes and enter the audit trail.
 */
export const tokenRoutes = (deps: TokenRouteDeps) => async (app: FastifyInstance) => {
  app.addHook('onRoute', describeRoutes(TOKEN_ROUTE_SCHEMAS));
  app.addContentTypeParser(FORM, { parseAs: 'string', bodyLimit: 8192 }, (request, body, done) => {
    try {
      refuseContentEncoding(request.headers['content-encoding']);
      done(null, new URLSearchParams(body as string));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
  const limited = { rateLimit: { max: deps.rateLimitPerMinute, timeWindow: 60_000 } };

  app.post('/auth/token', { config: limited }, async (request, reply) => {
    const field = fieldsOf(request.body);
    const grant = field('grant_type');
    if (grant !== 'client_credentials') {
      deps.trail.refuse(request, 'unsupported grant type');
      throw new NexoError('NEXO_ERR_UNPARSABLE', [
        {
          code: 'NEXO_ERR_UNPARSABLE',
          expression: 'grant_type',
          message: 'grant_type must be client_credentials (OAuth 2.0 client credentials grant).',
        },
      ]);
    }
    const basic = basicCredentials(request);
    const clientId = basic?.id ?? field('client_id') ?? '';
    const secret = basic?.secret ?? field('client_secret') ?? '';
    const known = isValidCnes(clientId) ? await deps.registry.lookUp(clientId) : undefined;
    // Unknown clients cost the same scrypt as known ones: timing does not tell which CNES exist.
    const valid = await verifySecret(
      secret,
      known?.active ? (known.secretHash ?? UNMATCHABLE_HASH) : UNMATCHABLE_HASH,
    );
    if (!valid || !known?.active) {
      deps.trail.refuse(request, 'invalid client credentials', {
        kind: 'anonymous',
        id: isValidCnes(clientId) ? clientId : '-',
      });
      // The way this endpoint asks for client credentials (RFC 6749 §2.3.1), however they came: a
      // Bearer challenge would ask a client for the token it came to get.
      reply.header('www-authenticate', CHALLENGES.basic);
      throw new NexoError(
        'NEXO_ERR_UNAUTHENTICATED',
        'client_id (the CNES) and client_secret do not match an active registration.',
      );
    }
    deps.trail.identify(request, { kind: 'establishment', id: clientId });
    // The token names the registration and the secret it is issued under: disabling the one or
    // rotating the other revokes it.
    const { token, expiresIn } = await deps.senderTokens.issue(clientId, known);
    return noStore(reply).send({
      access_token: token,
      token_type: 'Bearer',
      expires_in: expiresIn,
      scope: 'bundle.write bundle.read',
    });
  });

  const dev = deps.devIssuer;
  if (!dev) return;
  app.get(`${DEV_ISSUER_PATH}/.well-known/jwks.json`, async () => dev.jwks);
  app.get(`${DEV_ISSUER_PATH}/.well-known/openid-configuration`, async () => ({
    issuer: dev.issuer,
    jwks_uri: `${dev.issuer}/.well-known/jwks.json`,
    token_endpoint: `${dev.issuer}/login`,
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['ES256'],
  }));
  app.post(`${DEV_ISSUER_PATH}/login`, { config: limited }, async (request, reply) => {
    const cpf = fieldsOf(request.body)('cpf') ?? '';
    if (!isValidCpf(cpf)) {
      deps.trail.refuse(request, 'development login with an invalid CPF');
      throw new NexoError('NEXO_ERR_VALIDATION_IDENTIFIER', [
        {
          code: 'NEXO_ERR_VALIDATION_IDENTIFIER',
          expression: 'cpf',
          message: 'cpf must be 11 digits with valid check digits (no punctuation).',
        },
      ]);
    }
    deps.trail.identify(request, { kind: 'citizen', id: deps.trail.pseudonym('CPF', cpf) });
    const { token, expiresIn } = await dev.issue(cpf);
    return noStore(reply).send({ access_token: token, token_type: 'Bearer', expires_in: expiresIn });
  });
};
