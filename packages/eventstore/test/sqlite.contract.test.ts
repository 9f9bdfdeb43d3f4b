import { eventBusContract, eventStoreContract, fileFactory } from '@nexo/testkit';
import { openSqliteEventStore } from '../src/index.ts';

const sqlite = fileFactory('events.db', (file) => openSqliteEventStore({ file, pollIntervalMs: 50 }));
eventStoreContract('sqlite', sqlite);
eventBusContract('sqlite', sqlite);

// Streams read on reader threads (as when the log's reads are slow), appends on the calling thread.
eventStoreContract(
  'sqlite with reader threads',
  fileFactory('events.db', (file) =>
    openSqliteEventStore({ file, pollIntervalMs: 50, readerThreads: 2, offloadAboveMicros: 0 }),
  ),
);
