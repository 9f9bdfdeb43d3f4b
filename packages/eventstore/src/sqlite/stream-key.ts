/**
 * The integer the log indexes a stream by. Stream names are 20 to 60 characters (a submission's is
 * `submission-` and 40 hex digits) and most streams are new when first read, so an index on the
 * names sends every new submission to a random leaf of an index several times larger than memory
 * once the log holds millions of events. Eight bytes of the name's SHA-256 make the same index
 * about a quarter of the size. Two names with one key (about one chance in 10^5 at 10M streams)
 * only share index entries: every query also compares the name itself.
 */
import { createHash } from 'node:crypto';

export const streamKey = (stream: string): bigint =>
  createHash('sha256').update(stream).digest().readBigInt64BE(0);
