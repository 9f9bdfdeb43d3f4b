// The message loop of a thread that owns a SQLite connection (a reader, the read store's writer, the
// audit writer): answers each message of the main thread with what `answer` returns, or with the
// error's message, tagged with the message's `id` when it has one; 'stop' closes the connection and
// ends the loop. The main thread's side is request-thread.ts. Plain JavaScript, so a thread needs no
// TypeScript loader whatever runs the main thread.
import { parentPort } from 'node:worker_threads';

export const serveMessages = (db, answer) => {
  parentPort.on('message', (message) => {
    if (message === 'stop') {
      db.close();
      parentPort.close();
      return;
    }
    try {
      parentPort.postMessage({ id: message.id, ...answer(message) });
    } catch (error) {
      parentPort.postMessage({
        id: message.id,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  });
};
