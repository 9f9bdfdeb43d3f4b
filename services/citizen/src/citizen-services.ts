import type { FastifyInstance } from 'fastify';
import { covidCertificateRoutes, type CertificateDeps } from './certificate/certificate-routes.ts';
import { correctionRequestRoutes, type CorrectionRouteDeps } from './corrections/correction-requests.ts';

export type CitizenServiceDeps = CorrectionRouteDeps & CertificateDeps;

/** The citizen's services beyond reading records: the COVID-19 certificate and correction requests. */
export const citizenServiceRoutes = (deps: CitizenServiceDeps) => async (app: FastifyInstance) => {
  await app.register(covidCertificateRoutes(deps));
  await app.register(correctionRequestRoutes(deps));
};
