import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openSqliteEventStore, type EventBus, type EventStore, type Outbox } from '@nexo/eventstore';
import { openSqliteReadStore, type ReadStore } from '@nexo/readstore';
import type { NexoConfig } from './config.ts';

/** The adapters behind each port, as the configuration chose them. */
export interface Engines {
  readonly store: EventStore;
  readonly outbox: Outbox;
  readonly bus: EventBus;
  readonly readStore: ReadStore;
  close(): Promise<void>;
}

/** Embedded engines: SQLite files under the data folder, durable across restarts. */
export const openEngines = async (config: Pick<NexoConfig, 'dataDir'>): Promise<Engines> => {
  mkdirSync(config.dataDir, { recursive: true });
  const events = openSqliteEventStore({ file: join(config.dataDir, 'events.sqlite') });
  const readStore = openSqliteReadStore({ file: join(config.dataDir, 'read-models.sqlite') });
  return {
    store: events.store,
    outbox: events.outbox,
    bus: events.bus,
    readStore,
    close: async () => {
      await events.close();
      await readStore.close();
    },
  };
};
