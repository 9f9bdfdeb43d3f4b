// The event log's checkpointer thread: copies committed WAL frames into the database file on its
// own connection, so that appends never wait for a checkpoint (see checkpointer.ts). Plain
// JavaScript, so the thread needs no TypeScript loader whatever runs the main thread.
import { createRequire } from 'node:module';
import { clearInterval, setInterval } from 'node:timers';
import { parentPort, workerData } from 'node:worker_threads';

const Database = createRequire(import.meta.url)('better-sqlite3');
const { file, intervalMs, busyTimeoutMs } = workerData;

const db = new Database(file);
db.pragma(`busy_timeout = ${busyTimeoutMs}`);
db.pragma('synchronous = FULL');
// This connection never checkpoints on its own: it only runs the explicit ones below.
db.pragma('wal_autocheckpoint = 0');

// PASSIVE never blocks the writer or readers: it copies the frames no reader still needs, and the
// writer's next transaction restarts the WAL from its beginning once all of them are copied.
// A checkpoint that fails (the database file cannot grow on a full disk, an I/O error) leaves the
// frames in the WAL, where every reader still finds them: the next round copies them. Thrown out
// of the timer, the error would end this thread for the rest of the process.
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Tried again at the next round.
  }
};
const timer = setInterval(checkpoint, intervalMs);

parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
