/**
 * What every bus engine shares about delivering to a consumer group: the subscribe options and
 * their defaults, the retry back-off, and the failure reason kept with a dead letter.
 */
import type { SubscribeOptions } from './port.ts';

export const BUS_DEFAULTS = {
  batchSize: 256,
  maxAttempts: 5,
  retryDelayMs: 100,
  pollIntervalMs: 200,
} as const;

/** The longest wait between two attempts at a failing batch. */
export const MAX_RETRY_DELAY_MS = 5_000;

export interface DeliverySettings {
  readonly batchSize: number;
  readonly maxAttempts: number;
  readonly retryDelayMs: number;
  readonly lingerMs: number;
}

export const positiveInteger = (name: string, value: number): number => {
  if (!Number.isSafeInteger(value) || value < 1)
    throw new RangeError(`${name} must be an integer ≥ 1, got ${value}`);
  return value;
};

/** The options with their defaults, or a RangeError naming the one that is invalid. */
export const deliverySettings = (options: SubscribeOptions = {}): DeliverySettings => {
  const retryDelayMs = options.retryDelayMs ?? BUS_DEFAULTS.retryDelayMs;
  if (!(retryDelayMs >= 0)) throw new RangeError(`retryDelayMs must be ≥ 0, got ${retryDelayMs}`);
  const lingerMs = options.lingerMs ?? 0;
  if (!(lingerMs >= 0)) throw new RangeError(`lingerMs must be ≥ 0, got ${lingerMs}`);
  return {
    batchSize: positiveInteger('batchSize', options.batchSize ?? BUS_DEFAULTS.batchSize),
    maxAttempts: positiveInteger('maxAttempts', options.maxAttempts ?? BUS_DEFAULTS.maxAttempts),
    retryDelayMs,
    lingerMs,
  };
};

/** The pause before `attempt` (2, 3, …): `retryDelayMs`, doubling each time, capped. */
export const retryDelay = (retryDelayMs: number, attempt: number): number =>
  Math.min(retryDelayMs * 2 ** (attempt - 2), MAX_RETRY_DELAY_MS);

/**
 * The failure reason kept with a dead letter: the error's code, else its class (`TypeError`), then
 * its message. The message may quote the data the handler failed on, so whatever shows a reason to
 * an operator shows the part before `: ` alone (the projector's `pnpm dead-letters`).
 */
export const failureReason = (error: unknown): string => {
  if (typeof error !== 'object' || error === null) return String(error);
  const { code, name, message } = error as { code?: unknown; name?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : String(error);
  if (typeof code === 'string' && code !== '') return `${code}: ${text}`;
  return typeof name === 'string' && name !== '' ? `${name}: ${text}` : text;
};

/** SQLite result codes of a store that is there but cannot answer now: locked, full, failing I/O. */
const TRANSIENT_SQLITE = /^SQLITE_(?:BUSY|LOCKED|FULL|IOERR|NOMEM|CANTOPEN|PROTOCOL)(?:_|$)/;
/** MongoDB driver errors of a server that cannot be reached or elected now. */
const TRANSIENT_MONGO = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
]);

/**
 * Whether a handler failed because the infrastructure it writes to is unavailable (a locked or
 * full disk, a database that cannot be reached, a thread that died: `statusCode` 503) rather than
 * because of the events. Such a batch is never dead-lettered: dead-lettering would drop accepted
 * records from every read model for good, while the store comes back on its own. The group retries
 * it, backing off up to MAX_RETRY_DELAY_MS, and stays behind meanwhile (its lag shows it).
 */
export const isTransientFailure = (error: unknown): boolean => {
  if (typeof error !== 'object' || error === null) return false;
  const { code, name, statusCode } = error as { code?: unknown; name?: unknown; statusCode?: unknown };
  if (typeof code === 'string' && TRANSIENT_SQLITE.test(code)) return true;
  if (typeof name === 'string' && TRANSIENT_MONGO.has(name)) return true;
  return statusCode === 503;
};

/** Whether a failed delivery is retried again: a transient failure always, any other `maxAttempts` times. */
export const retriesAgain = (error: unknown, attempt: number, maxAttempts: number): boolean =>
  attempt < maxAttempts || isTransientFailure(error);
