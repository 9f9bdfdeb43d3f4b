// The canonical hash of an audit entry. Plain JavaScript, because the writer thread
// (writer-thread.mjs) links entries too and a thread gets no TypeScript loader.
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/**
 * SHA-256 over a JSON array of the entry's fields in a fixed order, so the encoding is canonical
 * whatever the engine stores. Absent optional fields hash as null.
 */
export const entryHash = (seq, prevHash, event) =>
  createHash('sha256')
    .update(
      JSON.stringify([
        seq,
        prevHash,
        event.at,
        event.actor.kind,
        event.actor.id,
        event.origin.address,
        event.origin.establishment ?? null,
        event.action,
        event.resource ?? null,
        event.outcome,
        event.status,
        event.reason ?? null,
        event.correlationId,
      ]),
    )
    .digest('hex');
