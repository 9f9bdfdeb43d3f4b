export { build } from './app.ts';
export { ingestRoutes, FHIR_BASES } from './routes.ts';
export { submitBundle, type IngestDeps, type RequestContext, type SubmitResult } from './submit-bundle.ts';
export { identityFeedRoutes } from './identity-feed.ts';
export { senderRoutes } from './sender-routes.ts';
export { runIdentityCommand, type IdentityDeps, type IdentityResult } from './identity-commands.ts';
export { fhirOperationRoutes, type FhirOperationDeps } from './fhir-operations.ts';
export {
  capabilityStatement,
  profilesByType,
  type CapabilityInput,
  type ProfilesByType,
} from './capability.ts';
export { correctionInboxRoutes, type CorrectionInboxDeps } from './correction-inbox.ts';
