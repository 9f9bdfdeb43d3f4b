/**
 * A document cache in front of a read store that has exactly one writer: the caller. A rebuild
 * from the log is such a writer (it clears the store and fills it alone) and reads back the
 * documents it wrote moments before — a citizen's records, once per event of that citizen.
 * Serving them from memory saves a query and a JSON parse each time.
 *
 * Commits are also held in memory and written as one commit once `deferUpTo` documents wait (or
 * on `flush()`): a document changed by many batches is serialised and written once (`deferUpTo: 1`
 * writes each commit through). What reaches the store is what the separate commits would have
 * left, with the last checkpoint, only later: a crash loses the held commits (the checkpoint with
 * them), and a document's revision grows by one per flush rather than per commit.
 *
 * A flush that `deferUpTo` starts is not waited for: the caller goes on (projecting the next
 * events) while the store commits it, which overlaps the two when the store commits elsewhere (a
 * SQLite store's writer thread, MongoDB). Until that commit resolves its documents and checkpoint
 * are served from memory, never evicted, and writes held meanwhile are checked against the
 * revisions it leaves. One commit at a time: the next flush waits for the one in flight first, so
 * commits reach the store in order. A commit in flight that fails is thrown by the next call into
 * the cache, which then forgets everything (what was held since was checked against revisions the
 * store never reached). `flush()` and `close()` wait for everything held and in flight, and so do
 * the calls that need the store itself (`find`, `ensureIndexes`, `clear`).
 *
 * Only valid while nobody else writes the store: a document another writer changed would be
 * served stale. Bodies are shared with the caller and must not be mutated (the projections copy
 * on write). Revision conflicts are still detected, against the cached revisions.
 */
import type { Checkpoint, DocumentWrite, FindQuery, ReadStore, StoredDocument } from './port.ts';
import { RevisionConflictError } from './port.ts';

export interface SoleWriterCacheOptions {
  /**
   * Documents kept in memory besides the held writes and those in flight; the least recently
   * written leave first.
   */
  readonly capacity: number;
  /** Hold commits until this many documents wait. */
  readonly deferUpTo: number;
}

export interface SoleWriterCache extends ReadStore {
  /** Writes the held commits (and the last checkpoint) in one commit, and waits for every commit. */
  flush(): Promise<void>;
}

/** A cached document, or `null` for one known not to exist. */
type Cached = StoredDocument | null;

const keyOf = (collection: string, id: string): string => `${collection}\u0000${id}`;

const positive = (name: string, value: number | undefined): void => {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < 1))
    throw new RangeError(`${name} must be an integer ≥ 1, got ${value}`);
};

/** What a write leaves behind, as the cache holds it. */
const afterWrite = (write: DocumentWrite, revision: number): Cached =>
  write.kind === 'put' ? { collection: write.collection, id: write.id, revision, body: write.body } : null;

/** A commit the store has not finished: what it leaves of each document, and its checkpoint. */
interface InFlight {
  readonly documents: ReadonlyMap<string, Cached>;
  readonly checkpoint: Checkpoint | undefined;
  /** Settles when the commit does; never rejects (a failure is kept for the next call). */
  readonly landed: Promise<void>;
}

export const soleWriterCache = (store: ReadStore, options: SoleWriterCacheOptions): SoleWriterCache => {
  positive('capacity', options.capacity);
  positive('deferUpTo', options.deferUpTo);
  // A Map iterates in insertion order: re-inserting on each write keeps the oldest first. (A
  // rebuild reads a document in order to write it, so "written" is as good as "used" here.)
  const cache = new Map<string, Cached>();
  // Held writes by document, each against the revision the store has once the commit in flight
  // (if any) landed; they are never evicted.
  const held = new Map<string, DocumentWrite>();
  let heldCheckpoint: Checkpoint | undefined;
  let inFlight: InFlight | undefined;
  // The error of the last commit in flight, until a call throws it.
  let failure: { readonly error: unknown } | undefined;
  // True from a clear() until the first eviction: every document is then in memory, so a miss
  // means "does not exist" without asking the store.
  let complete = false;

  const remember = (key: string, value: Cached): void => {
    cache.delete(key);
    cache.set(key, value);
    if (cache.size <= options.capacity) return;
    complete = false;
    for (const oldest of cache.keys()) {
      cache.delete(oldest);
      if (cache.size <= options.capacity) return;
    }
  };

  const lookUp = (collection: string, id: string): Cached | undefined => {
    const key = keyOf(collection, id);
    const write = held.get(key);
    if (write !== undefined) return afterWrite(write, write.expectedRevision + 1);
    const flying = inFlight?.documents.get(key);
    if (flying !== undefined) return flying;
    return cache.get(key) ?? (complete ? null : undefined);
  };

  const forget = (): void => {
    cache.clear();
    held.clear();
    heldCheckpoint = undefined;
    complete = false;
  };

  /** Throws the failure of the last commit in flight, once, forgetting everything. */
  const surface = (): void => {
    if (failure === undefined) return;
    const { error } = failure;
    failure = undefined;
    forget();
    throw error;
  };

  /** Waits until no commit is in flight; throws the failure of the last one. */
  const settled = async (): Promise<void> => {
    while (inFlight !== undefined) await inFlight.landed;
    surface();
  };

  const getMany = async <T>(collection: string, ids: readonly string[]): Promise<StoredDocument<T>[]> => {
    surface();
    const unique = [...new Set(ids)];
    const known = new Map(unique.map((id) => [id, lookUp(collection, id)]));
    const missing = unique.filter((id) => known.get(id) === undefined);
    const fetched = missing.length > 0 ? await store.getMany(collection, missing) : [];
    const found = new Map(fetched.map((doc) => [doc.id, doc]));
    for (const id of missing) {
      const doc = found.get(id) ?? null;
      known.set(id, doc);
      remember(keyOf(collection, id), doc);
    }
    return unique.flatMap((id) => {
      const doc = known.get(id);
      return doc ? [doc as StoredDocument<T>] : [];
    });
  };

  /** Commits the held writes once the commit in flight landed, and returns without waiting for it. */
  const startFlush = async (): Promise<void> => {
    await settled();
    if (held.size === 0 && heldCheckpoint === undefined) return;
    const writes = [...held.values()];
    const checkpoint = heldCheckpoint;
    held.clear();
    heldCheckpoint = undefined;
    const documents = new Map(
      writes.map((write) => [
        keyOf(write.collection, write.id),
        afterWrite(write, write.expectedRevision + 1),
      ]),
    );
    // The store starts the commit now (a SQLite store serialises the bodies before it returns);
    // its failure is kept for the next call, never thrown here.
    const landed = (async () => store.commit(writes, checkpoint))().then(
      () => {
        inFlight = undefined;
        for (const [key, doc] of documents) remember(key, doc);
      },
      (error: unknown) => {
        inFlight = undefined;
        failure = { error };
        forget();
      },
    );
    inFlight = { documents, checkpoint, landed };
  };

  /** Commits everything held and waits for every commit in flight. */
  const flush = async (): Promise<void> => {
    await startFlush();
    await settled();
  };

  /** Checks every write against the revisions in memory (loading unknown ones), then holds them. */
  const hold = async (
    writes: readonly DocumentWrite[],
    checkpoint: Checkpoint | undefined,
  ): Promise<void> => {
    surface();
    // The revision each document has now (0: absent), loading the ones memory does not know.
    const revisions = new Map<string, number>();
    const unknown = new Map<string, string[]>();
    for (const { collection, id } of writes) {
      const doc = lookUp(collection, id);
      if (doc !== undefined) revisions.set(keyOf(collection, id), doc?.revision ?? 0);
      else unknown.set(collection, [...(unknown.get(collection) ?? []), id]);
    }
    for (const [collection, ids] of unknown) {
      const found = new Map((await getMany(collection, ids)).map((doc) => [doc.id, doc.revision]));
      for (const id of ids) revisions.set(keyOf(collection, id), found.get(id) ?? 0);
    }
    // A commit in flight that failed while this call waited makes the revisions above worthless.
    surface();
    for (const write of writes) {
      const key = keyOf(write.collection, write.id);
      const actual = revisions.get(key) ?? 0;
      if (actual !== write.expectedRevision)
        throw new RevisionConflictError(write.collection, write.id, write.expectedRevision, actual);
      revisions.set(key, write.kind === 'put' ? actual + 1 : 0);
    }
    // One checkpoint goes with a commit: another consumer's must not replace the one held.
    if (checkpoint && heldCheckpoint && heldCheckpoint.consumer !== checkpoint.consumer) await startFlush();
    surface();
    for (const write of writes) {
      const key = keyOf(write.collection, write.id);
      // A document held already keeps the store's revision it was first held against: the store
      // applies one write where the caller made several.
      const stored = held.get(key)?.expectedRevision ?? write.expectedRevision;
      held.set(key, { ...write, expectedRevision: stored });
    }
    heldCheckpoint = checkpoint ?? heldCheckpoint;
    if (held.size >= options.deferUpTo) await startFlush();
  };

  const checkpointOf = (consumer: string): Checkpoint | undefined =>
    [heldCheckpoint, inFlight?.checkpoint].find((checkpoint) => checkpoint?.consumer === consumer);

  return {
    ensureIndexes: async (indexes) => {
      await flush();
      await store.ensureIndexes(indexes);
    },
    get: async <T>(collection: string, id: string): Promise<StoredDocument<T> | undefined> =>
      (await getMany<T>(collection, [id]))[0],
    getMany,
    commit: hold,
    getCheckpoint: async (consumer) => {
      surface();
      return checkpointOf(consumer)?.position ?? store.getCheckpoint(consumer);
    },
    find: async <T>(query: FindQuery) => {
      await flush();
      return store.find<T>(query);
    },
    clear: async (): Promise<void> => {
      // A commit landing after the clear would bring its documents back.
      await settled();
      forget();
      await store.clear();
      complete = true;
    },
    close: async () => {
      try {
        await flush();
      } finally {
        await store.close();
      }
    },
    flush,
  };
};
