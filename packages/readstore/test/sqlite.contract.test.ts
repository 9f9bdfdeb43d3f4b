import { fileFactory, readStoreContract } from '@nexo/testkit';
import { openSqliteReadStore } from '../src/index.ts';

readStoreContract(
  'sqlite',
  fileFactory('read.db', (file) => openSqliteReadStore({ file })),
);

// Point reads on reader threads (as when the file's reads are slow), writes and finds on the
// calling thread.
readStoreContract(
  'sqlite with reader threads',
  fileFactory('read.db', (file) => openSqliteReadStore({ file, readerThreads: 2, offloadAboveMicros: 0 })),
);

// A rebuild's configuration: commits, clears and index declarations on the writer thread, reads on
// the calling thread.
readStoreContract(
  'sqlite with a writer thread',
  fileFactory('read.db', (file) => openSqliteReadStore({ file, writerThread: true })),
);
