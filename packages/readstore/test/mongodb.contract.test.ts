/**
 * The read store contract on MongoDB: against MONGODB_URI when set, else a replica set started
 * with testcontainers when Docker answers, else one skipped line saying why.
 */
import { vi } from 'vitest';
import { mongoContractFactory, readStoreContract } from '@nexo/testkit';
import { openMongoReadStore } from '../src/index.ts';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 300_000 });

readStoreContract(
  'mongodb',
  await mongoContractFactory((uri, database) => openMongoReadStore({ uri, database })),
);
