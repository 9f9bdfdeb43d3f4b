/**
 * Resolves once the read models hold every event committed before the call: the projector of this
 * process caught up with the log. The read models follow a write (a 201) by a few milliseconds;
 * a read right after it that finds nothing waits for them rather than answering "no such thing".
 * A service is given one only when a projector runs in its process (the hub wires its projection
 * subscription); without one the read models are eventually consistent and nothing is waited for.
 */
export type ReadModelsCaughtUp = () => Promise<void>;

/** The longest a read of something not yet in the read models waits for the projector. */
export const READ_MODELS_WAIT_MS = 1_000;

/** Waits for the projector, at most READ_MODELS_WAIT_MS; a projector that failed or stopped is not waited for. */
export const waitForReadModels = async (caughtUp: ReadModelsCaughtUp): Promise<void> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, READ_MODELS_WAIT_MS)));
  try {
    await Promise.race([caughtUp().catch(() => undefined), timeout]);
  } finally {
    clearTimeout(timer);
  }
};

/**
 * Reads from the read models; when that finds nothing and a projector runs in the process, waits
 * for it to catch up (bounded, waitForReadModels) and reads once more. What is found at once is
 * answered at once: only a miss, which may be the projection lagging a write, costs the wait.
 */
export const readCaughtUp = async <T>(
  read: () => Promise<T | undefined>,
  caughtUp: ReadModelsCaughtUp | undefined,
): Promise<T | undefined> => {
  const found = await read();
  if (found !== undefined || caughtUp === undefined) return found;
  await waitForReadModels(caughtUp);
  return read();
};
