import type { Logger } from 'pino';

/**
 * On SIGINT or SIGTERM, runs the shutdown steps in order (stop taking work, finish what is in
 * flight, close the engines) and exits 0; a failing step is logged and exits 1.
 */
export const closeOnSignals = (logger: Logger, steps: ReadonlyArray<() => Promise<unknown>>): void => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'shutting down: finishing the work in flight');
      steps
        .reduce<Promise<unknown>>((done, step) => done.then(step), Promise.resolve())
        .then(
          () => process.exit(0),
          (err: unknown) => {
            logger.error({ err }, 'shutdown failed');
            process.exit(1);
          },
        );
    });
  }
};
