// The read store's writer thread (see threaded-writer.ts): owns the writing connection to the
// read-model file and runs each commit, clear and index declaration the calling thread sends, in
// the order sent, with the transactions the calling thread would run itself
// (write-transactions.mjs). A failure is answered with what the calling thread needs to raise the
// same error: its class name, message, SQLite code, and the fields of a revision conflict. Plain
// JavaScript, so the thread needs no TypeScript loader whatever runs the main thread.
import { createRequire } from 'node:module';
import { workerData } from 'node:worker_threads';
import { serveMessages } from '@nexo/sqlite-readers/serve-thread';
import { prepareWriteTransactions } from './write-transactions.mjs';

const Database = createRequire(import.meta.url)('better-sqlite3');
const { file, pragmas } = workerData;

const db = new Database(file, { fileMustExist: true });
for (const pragma of pragmas) db.pragma(pragma);

class RevisionConflict extends Error {
  constructor(collection, id, expectedRevision, actualRevision) {
    super(`${collection}/${id} is at revision ${actualRevision}, expected ${expectedRevision}`);
    this.conflict = { collection, id, expectedRevision, actualRevision };
  }
}

const transactions = prepareWriteTransactions(
  db,
  (collection, id, expected, actual) => new RevisionConflict(collection, id, expected, actual),
);

const operations = {
  commit: ({ writes, checkpoint }) => transactions.commit(writes, checkpoint),
  clear: () => transactions.clear(),
  ensureIndexes: ({ indexes }) => transactions.ensureIndexes(indexes),
};

const failureOf = (error) => {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const { code, conflict } = error;
  return {
    name: error.name,
    message: error.message,
    ...(typeof code === 'string' ? { code } : {}),
    ...(conflict === undefined ? {} : { conflict }),
  };
};

serveMessages(db, (message) => {
  try {
    operations[message.operation](message);
    return {};
  } catch (error) {
    return { failure: failureOf(error) };
  }
});
