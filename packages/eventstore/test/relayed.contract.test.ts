/**
 * The event bus contract on the relayed pipeline with embedded engines only: a SQLite store with its
 * outbox, the outbox relay, and a second SQLite log standing in for the Kafka topic. It runs the
 * relay and the engine assembly the Kafka suite uses, on any machine.
 */
import { eventBusContract, fileFactory } from '@nexo/testkit';
import { openEmbeddedTopic, openSqliteEventStore, relayedEngine } from '../src/index.ts';

eventBusContract(
  'sqlite outbox → relay → embedded topic',
  fileFactory('events.db', (file) => {
    const topic = openEmbeddedTopic({ file: `${file}.topic`, pollIntervalMs: 20 });
    return relayedEngine({
      source: openSqliteEventStore({ file, pollIntervalMs: 20 }),
      publisher: topic.publisher,
      bus: topic.bus,
      deadLetters: (group) => topic.deadLetters(group),
      deadLetterCount: (group) => topic.deadLetterCount(group),
      relay: { pollIntervalMs: 20, retryDelayMs: 5 },
      release: () => topic.close(),
    });
  }),
);
