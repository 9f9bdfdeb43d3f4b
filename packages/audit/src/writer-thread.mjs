// The audit log's writer thread (see writer.ts): links each batch of events to the chain and commits
// it in one IMMEDIATE transaction on its own connection, so the commit's fsync never holds the
// request thread. Plain JavaScript, so the thread needs no TypeScript loader whatever runs the main
// thread.
import { createRequire } from 'node:module';
import { workerData } from 'node:worker_threads';
import { serveMessages } from '@nexo/sqlite-readers/serve-thread';
import { GENESIS_HASH, entryHash } from './chain-link.mjs';

const Database = createRequire(import.meta.url)('better-sqlite3');
const { file, pragmas, headSql, insertSql } = workerData;

const db = new Database(file, { fileMustExist: true });
for (const pragma of pragmas) db.pragma(pragma);
const head = db.prepare(headSql);
const insert = db.prepare(insertSql);

// The head is read inside the IMMEDIATE transaction, so two processes appending to the same file
// still build one chain.
const appendAll = db.transaction((events) => {
  const last = head.get();
  let seq = last?.seq ?? 0;
  let prevHash = last?.hash ?? GENESIS_HASH;
  return events.map((event) => {
    const link = { seq: ++seq, prevHash, hash: entryHash(seq, prevHash, event) };
    insert.run({
      seq: link.seq,
      at: event.at,
      actorKind: event.actor.kind,
      actorId: event.actor.id,
      address: event.origin.address,
      establishment: event.origin.establishment ?? null,
      action: event.action,
      resource: event.resource ?? null,
      outcome: event.outcome,
      status: event.status,
      reason: event.reason ?? null,
      correlationId: event.correlationId,
      prevHash: link.prevHash,
      hash: link.hash,
    });
    prevHash = link.hash;
    return link;
  });
});

serveMessages(db, ({ events }) => ({ links: appendAll.immediate(events) }));
