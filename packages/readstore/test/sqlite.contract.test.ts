import { fileFactory, readStoreContract } from '@nexo/testkit';
import { openSqliteReadStore } from '../src/index.ts';

readStoreContract(
  'sqlite',
  fileFactory('read.db', (file) => openSqliteReadStore({ file })),
);
