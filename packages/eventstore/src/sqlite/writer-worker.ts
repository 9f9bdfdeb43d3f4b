/**
 * The writer thread's body (see writer-thread.ts): its own connection to the event log file, the
 * same group commit as an in-thread store, and one answer per batch of appends it was sent.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isConcurrencyError } from '../port.ts';
import { openEventDatabase } from './database.ts';
import { GroupCommit } from './group-commit.ts';
import { prepareStatements } from './statements.ts';
import type {
  AppendCommitted,
  AppendFailed,
  FromWriter,
  ToWriter,
  WriterWorkerData,
} from './writer-protocol.ts';

const port = parentPort;
if (port === null) throw new Error('writer-worker.ts runs as a worker thread');
const send = (message: FromWriter): void => port.postMessage(message);
const { file, outbox } = workerData as WriterWorkerData;

const failure = (id: number, error: unknown): AppendFailed => {
  const { message, code } =
    error instanceof Error
      ? (error as Error & { code?: unknown })
      : { message: String(error), code: undefined };
  return {
    id,
    ok: false,
    error: {
      message,
      ...(typeof code === 'string' ? { code } : {}),
      ...(isConcurrencyError(error)
        ? { stream: error.stream, expectedVersion: error.expectedVersion, actualVersion: error.actualVersion }
        : {}),
    },
  };
};

try {
  const db = openEventDatabase(file);
  const commits = new GroupCommit(db, prepareStatements(db), outbox, () => undefined);
  port.on('message', (message: ToWriter) => {
    if (message.type === 'close') {
      void commits.close().then(() => {
        db.close();
        send({ type: 'closed' });
      });
      return;
    }
    // Every append of the message joins the same group commit: one transaction, one fsync.
    void Promise.all(
      message.appends.map(({ id, stream, expectedVersion, events }) =>
        commits
          .appendSerialised(
            stream,
            expectedVersion,
            events.map((event) => ({ event, data: event.data })),
          )
          .then(
            (result): AppendCommitted => ({
              id,
              ok: true,
              version: result.version,
              positions: result.events.map((event) => event.position),
              recordedAt: result.events[0]?.recordedAt ?? new Date().toISOString(),
            }),
            (error: unknown) => failure(id, error),
          ),
      ),
    ).then((outcomes) => send({ type: 'committed', outcomes }));
  });
  send({ type: 'ready' });
} catch (error) {
  send({ type: 'failed', reason: error instanceof Error ? error.message : String(error) });
}
