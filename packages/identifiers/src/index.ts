export { isValidCns, cnsCategory, generateCns, type CnsCategory } from './cns.ts';
export { isValidCpf, generateCpf } from './cpf.ts';
export { isValidCnes, generateCnes } from './cnes.ts';
export { isValidCnpj } from './cnpj.ts';
export { seededRandom, type RandomSource } from './random.ts';
export {
  citizenKey,
  parseCitizenKey,
  citizenIdFromIdentifier,
  type CitizenId,
  type CitizenIdKind,
  type CitizenIdProblem,
  type CitizenIdResult,
} from './citizen.ts';
export {
  CITIZEN_IDENTIFIER_SYSTEMS,
  ESTABLISHMENT_IDENTIFIER_SYSTEMS,
  isCitizenIdentifierSystem,
  isEstablishmentIdentifierSystem,
  type CitizenIdentifierSystem,
  type EstablishmentIdentifierSystem,
} from './systems.ts';
