import type { AuditEntry, ChainVerification } from './port.ts';
import { GENESIS_HASH, entryHash } from './chain-link.mjs';

export { GENESIS_HASH, entryHash };

/** Reads pages of entries in order; an empty page ends the chain. */
export type PageReader = (afterSeq: number, limit: number) => Promise<readonly AuditEntry[]>;

const PAGE = 1_000;

/**
 * Verifies the whole chain: sequence numbers without gaps from 1, each `prevHash` equal to the
 * previous entry's hash, each hash equal to the recomputed one. Names the first broken link.
 */
export const verifyChain = async (read: PageReader): Promise<ChainVerification> => {
  let expectedSeq = 1;
  let previous = GENESIS_HASH;
  for (;;) {
    const page = await read(expectedSeq - 1, PAGE);
    if (page.length === 0) return { ok: true, entries: expectedSeq - 1, head: previous };
    for (const entry of page) {
      const broken = (reason: string): ChainVerification => ({
        ok: false,
        entries: expectedSeq - 1,
        brokenAt: expectedSeq,
        reason,
      });
      if (entry.seq !== expectedSeq) return broken(`entry ${expectedSeq} is missing (next is ${entry.seq})`);
      if (entry.prevHash !== previous)
        return broken(`entry ${entry.seq} does not link to entry ${entry.seq - 1} (previous hash differs)`);
      if (entryHash(entry.seq, entry.prevHash, entry) !== entry.hash)
        return broken(`entry ${entry.seq} was altered (its hash does not match its content)`);
      previous = entry.hash;
      expectedSeq++;
    }
  }
};
