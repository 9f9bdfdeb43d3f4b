import type { DocumentWrite } from '../port.ts';
import type { TransactionWrite } from './write-transactions.mjs';

/** A commit's writes field by field: the i-th write is the i-th entry of each list. */
export interface PackedWrites {
  readonly collections: readonly string[];
  readonly ids: readonly string[];
  readonly expectedRevisions: readonly number[];
  /** A put's body as JSON; null for a delete. */
  readonly jsons: readonly (string | null)[];
}

export declare const packWrites: (writes: readonly DocumentWrite[]) => PackedWrites;
export declare const unpackWrites: (packed: PackedWrites) => TransactionWrite[];
