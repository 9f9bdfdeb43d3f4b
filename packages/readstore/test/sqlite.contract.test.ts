import { fileFactory, readStoreContract } from '@nexo/testkit';
import { openSqliteReadStore } from '../src/index.ts';

readStoreContract(
  'sqlite',
  fileFactory('read.db', (file) => openSqliteReadStore({ file })),
);

// The hub's configuration: point reads on reader threads, writes and finds on the calling thread.
readStoreContract(
  'sqlite with reader threads',
  fileFactory('read.db', (file) => openSqliteReadStore({ file, readerThreads: 2 })),
);

// A rebuild's configuration: commits, clears and index declarations on the writer thread, reads on
// the calling thread.
readStoreContract(
  'sqlite with a writer thread',
  fileFactory('read.db', (file) => openSqliteReadStore({ file, writerThread: true })),
);
