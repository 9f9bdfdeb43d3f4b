import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ReadStore } from '@nexo/readstore';
import { NexoError } from '@nexo/fhir';
import { CERTIFICATE_SCHEMAS, describeRoutes, sendProblems } from '@nexo/runtime';
import type { Authenticator } from '@nexo/auth';
import { decideCovidCertificate, vaccinationCard } from '@nexo/domain';
import { resolveCitizen } from '../resolve-person.ts';
import { KEYS_PATH, VERIFY_PATH, buildCovidCertificate } from './certificate-form.ts';
import { renderCertificatePdf } from './render-pdf.ts';
import type { CertificateSigner } from './signing.ts';
import { LANGUAGE_TAGS, TEXTS, isCertificateLanguage, type CertificateLanguage } from './texts.ts';
import { answerFormat } from './negotiation.ts';

export interface CertificateDeps {
  readonly readStore: ReadStore;
  readonly signer: CertificateSigner;
  readonly clock: () => Date;
  /** Who is asking: the citizen named by a verified token. */
  readonly auth: Authenticator;
  /** Base of the verification link printed on certificates; the request's own host when unset. */
  readonly publicUrl?: string;
}

const CERTIFICATE_PATH = '/citizen/v1/me/certificates/covid-19';

/** `lang` wins; otherwise the first of pt, en, es in Accept-Language; otherwise Portuguese. */
const languageOf = (request: FastifyRequest<{ Querystring: { lang?: string } }>): CertificateLanguage => {
  const lang = request.query.lang;
  if (lang !== undefined) {
    if (isCertificateLanguage(lang)) return lang;
    throw new NexoError('NEXO_ERR_UNPARSABLE', [
      { code: 'NEXO_ERR_UNPARSABLE', expression: 'lang', message: 'lang must be pt, en or es.' },
    ]);
  }
  const header = request.headers['accept-language'] ?? '';
  const preferred = header
    .split(',')
    .map((part) => part.trim().slice(0, 2).toLowerCase())
    .find(isCertificateLanguage);
  return preferred ?? 'pt';
};

/**
 * The COVID-19 vaccination certificate (PDF by default, or its JSON form) and the public
 * verification of its code. The certificate lists the COVID-19 doses of every identifier of the
 * person and is refused, in the chosen language, unless the primary series was given in Brazil.
 */
export const covidCertificateRoutes = (deps: CertificateDeps) => async (app: FastifyInstance) => {
  app.addHook('onRoute', describeRoutes(CERTIFICATE_SCHEMAS));
  app.get<{ Querystring: { lang?: string; format?: string } }>(
    CERTIFICATE_PATH,
    { config: { produces: 'application/pdf' } },
    async (request, reply) => {
      const citizen = await deps.auth.citizen(request);
      const language = languageOf(request);
      const format = answerFormat(request.query.format, request.headers.accept);
      const resolved = await resolveCitizen(deps.readStore, citizen);
      const decision = decideCovidCertificate(vaccinationCard(resolved.records));
      reply
        .header('content-language', LANGUAGE_TAGS[language])
        .header('cache-control', 'no-store')
        .header('vary', 'Accept, Accept-Language');
      if (!decision.issuable) {
        const message = TEXTS[language].refusals[decision.reason];
        return sendProblems(reply, [{ code: 'NEXO_ERR_CERTIFICATE_UNAVAILABLE', message }]);
      }
      const form = buildCovidCertificate({
        doses: decision.doses,
        identifiers: resolved.identifiers,
        ...(resolved.person ? { demographics: resolved.person.demographics } : {}),
        language,
        issuedAt: deps.clock(),
        signer: deps.signer,
        baseUrl: deps.publicUrl ?? `${request.protocol}://${request.host}`,
      });
      if (format === 'json') return reply.type('application/json; charset=utf-8').send(form);
      const pdf = await renderCertificatePdf(form);
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="covid-19-certificate-${language}.pdf"`)
        .send(Buffer.from(pdf));
    },
  );

  // A wildcard, not a parameter: codes are longer than a router parameter may be.
  app.get<{ Params: { '*': string } }>(`${VERIFY_PATH}/*`, async (request, reply) => {
    const claims = deps.signer.verify(request.params['*']);
    reply.header('access-control-allow-origin', '*');
    if (!claims) return { valid: false };
    return {
      valid: true,
      certificate: claims.t,
      issuedAt: claims.i,
      doses: claims.d,
      lastDose: claims.l,
      ...(claims.n !== undefined ? { holder: claims.n } : {}),
    };
  });

  app.get(KEYS_PATH, async (_request, reply) => {
    reply.header('access-control-allow-origin', '*').header('cache-control', 'public, max-age=3600');
    return { keys: [{ ...deps.signer.publicJwk, alg: 'EdDSA', use: 'sig' }] };
  });
};
