import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { EventStore, NewEvent } from '@nexo/eventstore';
import { PROJECTOR_GROUP } from '@nexo/domain';
import { FHIR_BASES } from '@nexo/ingest';
import { freeDiskBytes, type Engines, type SqliteFileReads } from '@nexo/runtime';

/** What ingest decided, by the event it appended. */
const OUTCOMES: Readonly<Record<string, string>> = {
  RecordSubmitted: 'created',
  RecordReplaced: 'replaced',
  RecordCancelled: 'cancelled',
  ResendIgnored: 'resend',
  SubmissionRejected: 'rejected',
};

const SUBMIT_ROUTES = new Set(FHIR_BASES.map((base) => `${base}/Bundle`));

/** The consumer groups the hub runs, whose dead letters it reports. */
export const HUB_CONSUMER_GROUPS = [PROJECTOR_GROUP] as const;

export interface HubMetrics {
  readonly registry: Registry;
  /** The same engines, with an event store that counts every submission outcome it appends. */
  instrument(engines: Engines): Engines;
  /**
   * Request hooks and `GET /metrics` (Prometheus text format); per scrape, the gauges and the
   * embedded files' read counts are read from the engines and the data folder's free space measured.
   */
  install(app: FastifyInstance, engines: Engines, dataDir: string): void;
}

/**
 * The hub's Prometheus metrics, in a registry of its own (two hubs in one process, as in tests,
 * never share counters). Labels are bounded: route patterns, never URLs; no identifier.
 */
export const createHubMetrics = (): HubMetrics => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const submissions = new Counter({
    name: 'nexo_ingest_submissions_total',
    help: 'Documents submitted, by what ingest decided (created, replaced, cancelled, resend, rejected) and record type.',
    labelNames: ['outcome', 'record_type'] as const,
    registers: [registry],
  });
  const ingestDuration = new Histogram({
    name: 'nexo_ingest_duration_seconds',
    help: 'Time to answer a POST of a Bundle, from the request to the answer (201 means durable).',
    labelNames: ['status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const requests = new Counter({
    name: 'nexo_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const errors = new Counter({
    name: 'nexo_http_errors_total',
    help: 'Error answers (4xx and 5xx), by status and the Nexo error code of the first issue.',
    labelNames: ['status', 'code'] as const,
    registers: [registry],
  });
  const gauge = (name: string, help: string) => new Gauge({ name, help, registers: [registry] });
  const head = gauge('nexo_event_log_head_position', 'Position of the last event committed to the log.');
  const checkpoint = gauge(
    'nexo_projector_checkpoint_position',
    'Log position the projector has applied up to.',
  );
  const lagEvents = gauge(
    'nexo_projection_lag_events',
    'Events committed but not yet projected (head - checkpoint).',
  );
  const lagSeconds = gauge(
    'nexo_projection_lag_seconds',
    'How long the oldest event not yet projected has waited (0 when caught up).',
  );
  const outboxDepth = gauge('nexo_outbox_depth', 'Events in the outbox waiting to be published to the bus.');
  const deadLetters = new Gauge({
    name: 'nexo_dead_letters',
    help: 'Events a consumer group gave up on (dead letters): accepted records its view lacks.',
    labelNames: ['group'] as const,
    registers: [registry],
  });
  // Counted by each file's read routing (two integers on the request thread) and read at each
  // scrape: the counter is reset, then set to each total as it stands.
  let sqliteFiles: readonly SqliteFileReads[] = [];
  new Counter({
    name: 'nexo_sqlite_reads_total',
    help: 'Reads of each embedded SQLite file (event_log, read_models), by where they ran: inline on the request thread while its reads are quick, on a reader thread once they are slow (most often: the file left the page cache).',
    labelNames: ['file', 'where'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const { file, counts } of sqliteFiles) {
        const { inline, thread } = counts();
        this.inc({ file, where: 'inline' }, inline);
        this.inc({ file, where: 'thread' }, thread);
      }
    },
  });
  const freeDisk = gauge(
    'nexo_data_dir_free_bytes',
    'Free space of the data folder (embedded engines, audit log, keys) the process may use.',
  );

  const countAppended = (events: readonly NewEvent[]) => {
    for (const event of events) {
      const outcome = OUTCOMES[event.type];
      if (!outcome) continue;
      const recordType = (event.data as { recordType?: unknown } | null)?.recordType;
      submissions.inc({ outcome, record_type: typeof recordType === 'string' ? recordType : 'unknown' });
    }
  };

  /**
   * Each group's dead letters, counted (never read) per scrape. A count that fails (a bus that
   * cannot be reached) removes the sample rather than repeat an old one, and fails no scrape.
   */
  const countDeadLetters = (engines: Engines) =>
    Promise.all(
      HUB_CONSUMER_GROUPS.map((group) =>
        engines.deadLetterCount(group).then(
          (count) => deadLetters.set({ group }, count),
          () => deadLetters.remove({ group }),
        ),
      ),
    );

  /** NaN (unknown) when the folder cannot be measured, rather than a 0 that reads as a full disk. */
  const measureFreeDisk = (dataDir: string) =>
    freeDiskBytes(dataDir).then(
      (bytes) => freeDisk.set(bytes),
      () => freeDisk.set(Number.NaN),
    );

  /** Reads the log head, projector checkpoint, outbox, dead letters and free space; at each scrape. */
  const refreshGauges = async (engines: Engines, dataDir: string) => {
    const [position, raw, depth] = await Promise.all([
      engines.store.headPosition(),
      engines.readStore.getCheckpoint(PROJECTOR_GROUP),
      engines.outbox.depth(),
      countDeadLetters(engines),
      measureFreeDisk(dataDir),
    ]);
    head.set(position);
    outboxDepth.set(depth);
    // The embedded bus checkpoints a log position; another engine's checkpoint (Kafka offsets) is not one.
    if (raw !== undefined && !/^\d+$/.test(raw)) return;
    const applied = raw === undefined ? 0 : Number(raw);
    checkpoint.set(applied);
    lagEvents.set(Math.max(0, position - applied));
    const [oldest] = position > applied ? await engines.store.readAll(applied, 1) : [];
    lagSeconds.set(oldest ? Math.max(0, (Date.now() - Date.parse(oldest.recordedAt)) / 1000) : 0);
  };

  return {
    registry,
    instrument: (engines) => ({ ...engines, store: countingStore(engines.store, countAppended) }),
    install: (app, engines, dataDir) => {
      sqliteFiles = engines.sqliteReads;
      app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
        if (reply.statusCode >= 400)
          errors.inc({ status: String(reply.statusCode), code: errorCodeOf(payload) });
        return payload;
      });
      app.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
        const route = request.routeOptions.url ?? 'unmatched';
        const status = String(reply.statusCode);
        requests.inc({ method: request.method, route, status });
        if (request.method === 'POST' && SUBMIT_ROUTES.has(route))
          ingestDuration.observe({ status }, reply.elapsedTime / 1000);
      });
      app.get(
        '/metrics',
        {
          config: { produces: 'text/plain' },
          schema: { tags: ['operations'], summary: 'Prometheus metrics (text exposition format)' },
        },
        async (_request, reply) => {
          await refreshGauges(engines, dataDir);
          return reply.type(registry.contentType).send(await registry.metrics());
        },
      );
    },
  };
};

/**
 * The event store with `append` counted once the append is durable. A proxy, so every other
 * method of whichever engine is configured passes through untouched.
 */
const countingStore = (store: EventStore, count: (events: readonly NewEvent[]) => void): EventStore =>
  new Proxy(store, {
    get(target, property) {
      if (property === 'append') {
        return async (...args: Parameters<EventStore['append']>) => {
          const result = await target.append(...args);
          count(args[2]);
          return result;
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });

/** The Nexo error code of the first issue of an OperationOutcome answer, or `none`. */
const errorCodeOf = (payload: unknown): string => {
  if (typeof payload !== 'string' || payload.length > 65_536) return 'none';
  try {
    const outcome = JSON.parse(payload) as {
      issue?: Array<{ details?: { coding?: Array<{ code?: unknown }> } }>;
    };
    const code = outcome.issue?.[0]?.details?.coding?.[0]?.code;
    return typeof code === 'string' && /^NEXO_ERR_[A-Z_]+$/.test(code) ? code : 'none';
  } catch {
    return 'none';
  }
};
