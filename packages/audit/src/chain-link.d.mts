import type { AuditEvent } from './port.ts';

/** The `prevHash` of the first entry. */
export declare const GENESIS_HASH: string;

/**
 * The hash of one entry: SHA-256 over a JSON array of its fields in a fixed order, so the
 * encoding is canonical whatever the engine stores. Absent optional fields hash as null.
 */
export declare const entryHash: (seq: number, prevHash: string, event: AuditEvent) => string;
