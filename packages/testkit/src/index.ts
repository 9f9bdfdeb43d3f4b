export { eventStoreContract, readWholeLog } from './contracts/event-store.contract.ts';
export { eventBusContract } from './contracts/event-bus.contract.ts';
export { streamVersionContract } from './contracts/stream-version.contract.ts';
export { readStoreContract } from './contracts/read-store.contract.ts';
export { contractSuite, fileFactory } from './contracts/harness.ts';
export type {
  Closable,
  ContractFactory,
  ContractInstance,
  EventEngineFactory,
  EventStoreEngineFactory,
  Harness,
  Opened,
  ReadStoreFactory,
} from './contracts/harness.ts';
export { gate, recorder, sleep, track, waitFor } from './contracts/recorder.ts';
export type { Gate, Recorder } from './contracts/recorder.ts';
export { citizenKey, newEvent, newEvents, TEST_SENDER, uuidV7 } from './events.ts';
export { removeTempDir, removeTempDirs, tempDir } from './temp-dir.ts';
export * from './synthetic/index.ts';
export { probeDocker } from './infra/docker.ts';
export type { DockerProbe } from './infra/docker.ts';
export { MONGODB_TEST_IMAGE, mongoContractFactory } from './infra/mongodb.ts';
export type { MongoOpener } from './infra/mongodb.ts';
export { KAFKA_TEST_IMAGE, kafkaContractFactory } from './infra/kafka.ts';
export type { KafkaNamespace, KafkaOpener } from './infra/kafka.ts';
export type { OutcomeIssue } from './outcome.ts';
export { mountSmallDisk, smallDiskUnavailable } from './infra/small-disk.ts';
export type { SmallDisk } from './infra/small-disk.ts';
