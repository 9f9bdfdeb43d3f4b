import { eventBusContract, eventStoreContract, fileFactory } from '@nexo/testkit';
import { openSqliteEventStore } from '../src/index.ts';

const sqlite = fileFactory('events.db', (file) => openSqliteEventStore({ file, pollIntervalMs: 50 }));
eventStoreContract('sqlite', sqlite);
eventBusContract('sqlite', sqlite);
