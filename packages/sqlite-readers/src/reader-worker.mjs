// A reader thread of a SQLite file (see reader-pool.ts): runs the pool's named queries on its own
// read-only connection and posts the rows back, with the time the read took. Plain JavaScript, so
// the thread needs no TypeScript loader whatever runs the main thread.
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { workerData } from 'node:worker_threads';
import { serveMessages } from './serve-thread.mjs';

const Database = createRequire(import.meta.url)('better-sqlite3');
const { file, pragmas, queries } = workerData;

const db = new Database(file, { readonly: true, fileMustExist: true });
for (const pragma of pragmas) db.pragma(pragma);
// Prepared on first use: a statement that cannot be prepared fails its reads, not the thread.
const statements = new Map();
const statement = (name) => {
  let prepared = statements.get(name);
  if (prepared === undefined) {
    const sql = queries[name];
    if (sql === undefined) throw new Error(`unknown query ${name}`);
    prepared = db.prepare(sql);
    statements.set(name, prepared);
  }
  return prepared;
};

// The read's own time, without the hop or the queue: what the same read would have cost the calling
// thread (read-routing.ts decides on it).
serveMessages(db, ({ query, params }) => {
  const prepared = statement(query);
  const started = performance.now();
  const rows = prepared.all(...params);
  return { rows, micros: (performance.now() - started) * 1000 };
});
