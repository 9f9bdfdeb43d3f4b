export {
  createAuthenticator,
  type Authenticator,
  type AuthenticatorDeps,
  type CheckingAuthenticator,
} from './authenticator.ts';
export { ADMIN_ACTOR, REGISTRY_ACTOR, createBearerIdentification } from './bearer-identity.ts';
export { bearerToken, isDevelopmentToken, isSameToken } from './bearer.ts';
export { BEARER_CHALLENGES, CHALLENGES } from './challenges.ts';
export {
  CITIZEN_TOKEN_ALGORITHMS,
  createCitizenTokenVerifier,
  type CitizenIssuer,
  type CitizenTokenVerifier,
} from './citizen-tokens.ts';
export { DEV_ISSUER_PATH, createDevIssuer, type DevIssuer } from './dev-issuer.ts';
export * from './establishments.ts';
export { SIGNING_ALG, loadOrCreateSigningKey, type SigningKey } from './keys.ts';
export {
  REGISTRATION_MAX_AGE_MS,
  createRegistrationCache,
  type RegistrationCache,
  type RegistrationCacheDeps,
} from './registration-cache.ts';
export {
  checkAuthors,
  checkCnes,
  createEstablishmentRegistry,
  readRegistration,
  type AuthorsInput,
  type EstablishmentRegistry,
  type IssuedCredentials,
  type RegistryActor,
} from './registry.ts';
export { UNMATCHABLE_HASH, generateSecret, hashSecret, verifySecret } from './secrets.ts';
export {
  SENDER_TOKEN_AUDIENCE,
  SENDER_TOKEN_ISSUER,
  createSenderTokens,
  type SenderToken,
  type SenderTokens,
} from './sender-tokens.ts';
export { openSecurity, securitySettings, type Security, type SecuritySettings } from './security.ts';
export { startSecuredService, type StartingService } from './service-start.ts';
export type { TokenCheck, TokenRefusal } from './token-failure.ts';
export {
  VERIFIED_TOKEN_DEFAULTS,
  rememberVerifiedTokens,
  type TokenVerifier,
  type VerifiedTokenOptions,
} from './verified-tokens.ts';
export {
  createAuditTrail,
  isAudited,
  type AuditTrail,
  type BearerIdentity,
  type BearerRefusal,
  type IdentifyBearer,
} from './trail.ts';
