/**
 * The outbox relay service: drains the event store's outbox (MongoDB, or SQLite opened with its
 * outbox) into Kafka, marking events published only once Kafka acknowledged them. Needs
 * NEXO_BUS_ENGINE=kafka and KAFKA_BROKERS; see docs/configuration.md.
 */
import { OutboxRelay } from '@nexo/eventstore';
import {
  closeOnSignals,
  configuredServerOptions,
  createLogger,
  describeConfig,
  loadConfigOrExit,
  openRelayEngines,
} from '@nexo/runtime';
import { build } from './app.ts';

const config = loadConfigOrExit();
const logger = createLogger({ level: config.logLevel, name: 'nexo-relay' });
logger.info({ config: describeConfig(config) }, 'starting outbox relay');
if (config.busEngine !== 'kafka') {
  logger.fatal('the relay publishes to Kafka: set NEXO_BUS_ENGINE=kafka and KAFKA_BROKERS');
  process.exit(1);
}
const engines = await openRelayEngines(config);
const relay = new OutboxRelay(engines.outbox, engines.publisher, {
  batchSize: config.relayBatchSize,
  pollIntervalMs: config.relayPollMs,
  onError: (err, stage) => logger.warn({ err, stage }, 'relay cycle failed; retrying with back-off'),
  onPublished: (events) => logger.debug({ events: events.length }, 'published'),
});
relay.start();
const app = await build({
  relay,
  outbox: engines.outbox,
  logger,
  serverOptions: configuredServerOptions(config.security),
});
await app.listen({ host: config.host, port: config.port });

closeOnSignals(logger, [() => app.close(), () => relay.stop(), () => engines.close()]);
