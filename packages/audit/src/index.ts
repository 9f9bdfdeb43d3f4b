export type { AuditActor, AuditEntry, AuditEvent, AuditLog, AuditOrigin, ChainVerification } from './port.ts';
export { GENESIS_HASH, entryHash, verifyChain, type PageReader } from './chain.ts';
export { openSqliteAuditLog } from './sqlite.ts';
export { createPseudonymizer, loadOrCreateKey, type Pseudonymizer } from './pseudonym.ts';
export { auditFiles, type AuditFiles } from './files.ts';
