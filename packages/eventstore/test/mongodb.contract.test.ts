/**
 * The event store contract on MongoDB: against MONGODB_URI when set, else a replica set started
 * with testcontainers when Docker answers, else one skipped line saying why.
 */
import { vi } from 'vitest';
import { eventStoreContract, mongoContractFactory } from '@nexo/testkit';
import { openMongoEventStore } from '../src/index.ts';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 300_000 });

eventStoreContract(
  'mongodb',
  await mongoContractFactory((uri, database) => openMongoEventStore({ uri, database })),
);
