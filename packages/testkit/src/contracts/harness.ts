/**
 * How a contract suite gets engines. A factory makes fresh, empty instances; an instance can be
 * opened, closed and opened again over the same storage (a restart). Distributed engines (MongoDB,
 * Kafka) plug in the same way, and may declare `skip` when their infrastructure is unavailable.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it, onTestFinished } from 'vitest';
import type { EventEngine, EventStoreEngine } from '@nexo/eventstore';
import type { ReadStore } from '@nexo/readstore';
import { removeTempDir, tempDir } from '../temp-dir.ts';

export interface Closable {
  close(): Promise<void>;
}

export interface ContractInstance<T extends Closable> {
  /** Opens the engine over this instance's storage; called again after `close` to restart it. */
  open(): Promise<T>;
  /** Releases the storage (files, database, topics). The engine is closed before this is called. */
  dispose(): Promise<void>;
}

export interface ContractFactory<T extends Closable> {
  /** When set, the suite is reported as ONE skipped test whose title gives this reason. */
  readonly skip?: string;
  /** Runs once before the suite (e.g. starts a container). */
  setup?(): Promise<void>;
  /** Runs once after the suite. */
  teardown?(): Promise<void>;
  /** A fresh, empty instance, isolated from every other one. */
  create(): Promise<ContractInstance<T>>;
}

export type EventEngineFactory = ContractFactory<EventEngine>;
/** Engines the event store contract runs on: a store and its outbox, with or without a bus. */
export type EventStoreEngineFactory = ContractFactory<EventStoreEngine>;
export type ReadStoreFactory = ContractFactory<ReadStore>;

/** An opened instance inside a test; `reopen` closes the engine and opens the same storage. */
export interface Opened<T extends Closable> {
  readonly engine: T;
  reopen(): Promise<T>;
}

export interface Harness<T extends Closable> {
  /** Opens a fresh instance that is closed and disposed when the test finishes. */
  fresh(): Promise<Opened<T>>;
  /** Opens a fresh instance for `run` only (for property runs, which need many instances). */
  scoped<R>(run: (opened: Opened<T>) => Promise<R>): Promise<R>;
}

const openInstance = async <T extends Closable>(factory: ContractFactory<T>) => {
  const instance = await factory.create();
  let engine = await instance.open();
  const opened: Opened<T> = {
    get engine() {
      return engine;
    },
    reopen: async () => {
      await engine.close();
      engine = await instance.open();
      return engine;
    },
  };
  const release = async (): Promise<void> => {
    await engine.close();
    await instance.dispose();
  };
  return { opened, release };
};

export const contractSuite = <T extends Closable>(
  title: string,
  factory: ContractFactory<T>,
  cases: (harness: Harness<T>) => void,
): void => {
  if (factory.skip !== undefined) {
    // The reporter lists a skipped file without its tests' titles: say why on a line of its own.
    console.warn(`${title} — skipped: ${factory.skip}`);
    it.skip(`${title} — skipped: ${factory.skip}`);
    return;
  }
  describe(title, () => {
    if (factory.setup) beforeAll(() => factory.setup?.());
    if (factory.teardown) afterAll(() => factory.teardown?.());
    cases({
      fresh: async () => {
        const { opened, release } = await openInstance(factory);
        onTestFinished(release);
        return opened;
      },
      scoped: async (run) => {
        const { opened, release } = await openInstance(factory);
        try {
          return await run(opened);
        } finally {
          await release();
        }
      },
    });
  });
};

/**
 * A factory for engines kept in one file: each instance gets its own temporary directory,
 * removed on dispose. `open` receives the file path and may be called again for a restart.
 */
export const fileFactory = <T extends Closable>(
  fileName: string,
  open: (file: string) => T | Promise<T>,
): ContractFactory<T> => ({
  create: async () => {
    const dir = await tempDir();
    return {
      open: async () => open(join(dir, fileName)),
      dispose: () => removeTempDir(dir),
    };
  },
});
