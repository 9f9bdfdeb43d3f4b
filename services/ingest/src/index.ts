export { build } from './app.ts';
export { ingestRoutes, FHIR_BASES } from './routes.ts';
export { submitBundle, type IngestDeps, type RequestContext, type SubmitResult } from './submit-bundle.ts';
