export * from './port.ts';
export { handleStreamCommand } from './command-handler.ts';
export type { StreamCommandHandler, StreamDecision } from './command-handler.ts';
export { BUS_DEFAULTS, isTransientFailure } from './delivery.ts';
export { keepJsonText } from './json-text.ts';
export { openSqliteEventStore } from './sqlite/engine.ts';
export type { SqliteEventEngine, SqliteEventStoreOptions } from './sqlite/engine.ts';
export type { ReadCounts } from '@nexo/sqlite-readers';
export { openMongoEventStore } from './mongodb/engine.ts';
export type { MongoEventStoreOptions } from './mongodb/engine.ts';
export {
  MONGODB_CLIENT_OPTIONS,
  MONGODB_DEFAULT_DATABASE,
  MONGODB_INDEX_FILE,
  loadMongoIndexes,
  type MongoCollectionIndexes,
  type MongoConnectionOptions,
  type MongoIndexDefinition,
} from '@nexo/mongo';
export { openKafkaBus } from './kafka/bus.ts';
export type { KafkaBus } from './kafka/bus.ts';
export { KAFKA_DEFAULTS } from './kafka/client.ts';
export type { KafkaOptions } from './kafka/client.ts';
export { openKafkaEngine } from './kafka/engine.ts';
export type { KafkaEngineOptions } from './kafka/engine.ts';
export { openKafkaPublisher } from './kafka/publisher.ts';
export { partitionKey } from './kafka/messages.ts';
export { KAFKA_TOPIC_FILE, loadKafkaTopics, prefixTopics } from './kafka/topics.ts';
export type { KafkaTopicDefinition, KafkaTopics } from './kafka/topics.ts';
export { OutboxRelay, RELAY_DEFAULTS } from './relay/outbox-relay.ts';
export type { OutboxRelayOptions, RelayStage, RelayStatus } from './relay/outbox-relay.ts';
export { relayedEngine } from './relay/relayed-engine.ts';
export type { RelayedEngine, RelayedEngineParts } from './relay/relayed-engine.ts';
export { openEmbeddedTopic } from './relay/embedded-topic.ts';
export type { EmbeddedTopic, EmbeddedTopicOptions } from './relay/embedded-topic.ts';
export {
  asStoredEvent,
  decodeStoredEvent,
  encodeStoredEvent,
  UndecodableEventError,
} from './stored-event-codec.ts';
