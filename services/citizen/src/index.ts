export { build } from './app.ts';
export { citizenRoutes, type CitizenDeps } from './routes.ts';
export { correctionRequestRoutes, type CorrectionRouteDeps } from './corrections/correction-requests.ts';
export type { CorrectionCommandDeps } from './corrections/correction-commands.ts';
export { openCorrectionRequest } from './corrections/open-correction-request.ts';
export { covidCertificateRoutes, type CertificateDeps } from './certificate/certificate-routes.ts';
export { citizenServiceRoutes, type CitizenServiceDeps } from './citizen-services.ts';
export {
  createCertificateSigner,
  defaultCertificateKeyFile,
  loadCertificateSigner,
  type CertificateClaims,
  type CertificateSigner,
} from './certificate/signing.ts';
