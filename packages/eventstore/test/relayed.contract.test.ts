/**
 * The event bus contract on the relayed pipeline with embedded engines only: a SQLite store with its
 * outbox, the outbox relay, and a second SQLite log standing in for the Kafka topic. It runs the
 * relay and the engine assembly the Kafka suite uses, on any machine. The relayed store's own
 * methods delegate to the source's, which passes the event store contract; its stream version is
 * checked here too, through the relayed engine as services call it.
 */
import { eventBusContract, fileFactory, streamVersionContract } from '@nexo/testkit';
import { openEmbeddedTopic, openSqliteEventStore, relayedEngine } from '../src/index.ts';

const relayed = fileFactory('events.db', (file) => {
  const topic = openEmbeddedTopic({ file: `${file}.topic`, pollIntervalMs: 20 });
  return relayedEngine({
    source: openSqliteEventStore({ file, pollIntervalMs: 20 }),
    publisher: topic.publisher,
    bus: topic.bus,
    deadLetters: (group) => topic.deadLetters(group),
    deadLetterCount: (group) => topic.deadLetterCount(group),
    resolveDeadLetters: (group, positions) => topic.resolveDeadLetters(group, positions),
    relay: { pollIntervalMs: 20, retryDelayMs: 5 },
    release: () => topic.close(),
  });
});
eventBusContract('sqlite outbox → relay → embedded topic', relayed);
streamVersionContract('sqlite outbox → relay → embedded topic', relayed);
