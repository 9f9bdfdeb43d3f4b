/**
 * The projector thread's body (see projector-thread.ts): opens its own connections to the embedded
 * event log and read models in the data folder, runs the projector's consumer group and answers
 * the main thread's `caughtUp` and `stop`.
 */
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteEventStore } from '@nexo/eventstore';
import { startProjector } from '@nexo/projector';
import { openSqliteReadStore } from '@nexo/readstore';
import type { FromProjectorThread, ToProjectorThread } from './projector-protocol.ts';

/**
 * Commits happen on the main thread, whose commit signal does not reach this one: an idle group
 * looks for new events this often (an indexed range read of nothing costs microseconds).
 */
const POLL_INTERVAL_MS = 10;

const port = parentPort;
if (port === null) throw new Error('projector-worker.ts runs as a worker thread');
const send = (message: FromProjectorThread): void => port.postMessage(message);
const { dataDir } = workerData as { readonly dataDir: string };

const reason = (error: unknown): string => (error instanceof Error ? error.message : String(error));

try {
  const events = openSqliteEventStore({
    file: join(dataDir, 'events.sqlite'),
    pollIntervalMs: POLL_INTERVAL_MS,
    // The main thread's engine checkpoints this file already.
    checkpointer: false,
  });
  const file = join(dataDir, 'read-models.sqlite');
  const readStore = openSqliteReadStore({ file });
  const subscription = await startProjector({
    bus: events.bus,
    store: events.store,
    readStore,
    deadLetters: events,
    // A start-up rebuild (an interrupted replay) commits on a writer thread, as `pnpm replay` does.
    openRebuildTarget: async () => openSqliteReadStore({ file, writerThread: true }),
  });
  port.on('message', (message: ToProjectorThread) => {
    if (message.type === 'caughtUp') {
      subscription.caughtUp().then(
        () => send({ type: 'caughtUp', id: message.id }),
        (error: unknown) => send({ type: 'caughtUp', id: message.id, error: reason(error) }),
      );
    } else {
      void (async () => {
        await subscription.stop();
        await events.close();
        await readStore.close();
        process.exit(0);
      })();
    }
  });
  send({ type: 'started' });
} catch (error) {
  const code = (error as { code?: unknown } | null)?.code;
  send({ type: 'failed', reason: reason(error), ...(typeof code === 'string' ? { code } : {}) });
  process.exit(1);
}
