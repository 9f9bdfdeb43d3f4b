import type Database from 'better-sqlite3';

/**
 * Answers each message of the main thread with what `answer` returns (or `{ error }`), tagged with
 * the message's `id`; 'stop' closes `db` and ends the loop. For the thread's own module.
 */
export declare const serveMessages: (
  db: Database.Database,
  answer: (message: { readonly id?: number } & Record<string, unknown>) => Record<string, unknown>,
) => void;
