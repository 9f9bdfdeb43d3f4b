// The read store's write transactions, run by whichever thread owns the writing connection: the
// calling thread (document-writer.ts) or the writer thread (writer-thread.mjs), so both check
// revisions, index and checkpoint with the same code. Plain JavaScript, so the thread needs no
// TypeScript loader whatever runs the main thread.
import { bodyJson } from './body-json.mjs';
import { DocumentIndexer } from './indexer.mjs';
import { prepareWriteStatements } from './write-statements.mjs';

export const prepareWriteTransactions = (db, conflict) => {
  const statements = prepareWriteStatements(db);
  const indexer = new DocumentIndexer(statements);

  const commit = db.transaction((writes, checkpoint) => {
    for (const write of writes) {
      const actual = statements.revision.get(write.collection, write.id) ?? 0;
      if (actual !== write.expectedRevision) {
        throw conflict(write.collection, write.id, write.expectedRevision, actual);
      }
      if (write.kind === 'put') {
        const json = write.json ?? bodyJson(write);
        statements.upsert.run(write.collection, write.id, actual + 1, json);
        // Index values come from the body: only a collection with declared indexes needs it, and
        // the writer thread, which gets the JSON alone, parses it only then.
        if (indexer.indexes(write.collection)) {
          const body = 'body' in write ? write.body : JSON.parse(json);
          indexer.put(write.collection, write.id, body, actual === 0);
        }
      } else if (actual > 0) {
        statements.remove.run(write.collection, write.id);
        indexer.remove(write.collection, write.id);
      }
    }
    if (checkpoint !== undefined) statements.saveCheckpoint.run(checkpoint.consumer, checkpoint.position);
  });

  const clear = db.transaction(() => {
    db.exec('DELETE FROM documents; DELETE FROM document_index; DELETE FROM checkpoints;');
  });

  // Declarations live in the file, and another connection (a rebuild's writer thread, another
  // process starting on the same folder) may have made some since this one loaded them: compared
  // with stale ones, they would be backfilled again. The transaction is immediate: a deferred one
  // reads first, and when another connection writes meanwhile SQLite refuses the upgrade to a
  // write (SQLITE_BUSY) without waiting, which crashed one of two hubs started together.
  const declare = db.transaction((indexes) => {
    indexer.reload();
    indexer.declare(indexes);
  });

  return {
    indexer,
    commit: (writes, checkpoint) => commit.immediate(writes, checkpoint),
    clear: () => clear.immediate(),
    ensureIndexes: (indexes) => {
      try {
        declare.immediate(indexes);
      } catch (error) {
        indexer.reload();
        throw error;
      }
    },
  };
};
