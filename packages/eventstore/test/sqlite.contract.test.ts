import { eventBusContract, eventStoreContract, fileFactory } from '@nexo/testkit';
import { openSqliteEventStore } from '../src/index.ts';

const sqlite = fileFactory('events.db', (file) => openSqliteEventStore({ file, pollIntervalMs: 50 }));
eventStoreContract('sqlite', sqlite);
eventBusContract('sqlite', sqlite);

// The hub's configuration: appends committed on a writer thread, reads and the bus on this one.
const threaded = fileFactory('events.db', (file) =>
  openSqliteEventStore({ file, pollIntervalMs: 50, writerThread: true }),
);
eventStoreContract('sqlite with a writer thread', threaded);
eventBusContract('sqlite with a writer thread', threaded);
