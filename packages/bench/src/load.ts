/**
 * Load generators over undici on loopback. `closedLoop` keeps a fixed number of requests in flight
 * (the throughput figure); `openLoop` sends at a fixed rate whatever the answers do, so slow
 * answers cannot hide queueing (no coordinated omission), and latency is measured from the moment
 * each request is handed to the client.
 */
import { Pool } from 'undici';
import { progress } from './progress.ts';
import { Samples } from './stats.ts';

export interface BenchRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface BenchResponse {
  readonly status: number;
  readonly location: string | undefined;
}

export interface LoadResult {
  readonly sent: number;
  readonly elapsedMs: number;
  readonly byStatus: ReadonlyMap<number, number>;
  /** Latency of every answered request, in milliseconds. */
  readonly latenciesMs: Float64Array;
  /** Requests that failed without an HTTP answer (connection reset, timeout). */
  readonly failures: number;
}

interface LoadCommon {
  readonly url: string;
  readonly durationMs: number;
  readonly connections: number;
  readonly label: string;
  readonly next: () => BenchRequest;
  readonly onResponse?: (request: BenchRequest, response: BenchResponse) => void;
}

class Recorder {
  readonly byStatus = new Map<number, number>();
  readonly latencies = new Samples();
  sent = 0;
  failures = 0;
  readonly #pool: Pool;
  readonly #onResponse: LoadCommon['onResponse'];

  constructor(pool: Pool, onResponse: LoadCommon['onResponse']) {
    this.#pool = pool;
    this.#onResponse = onResponse;
  }

  async send(request: BenchRequest): Promise<void> {
    this.sent += 1;
    const started = performance.now();
    try {
      const response = await this.#pool.request({
        method: request.method,
        path: request.path,
        headers: request.headers,
        ...(request.body === undefined ? {} : { body: request.body }),
      });
      await response.body.dump({ limit: 1 << 20 });
      this.latencies.push(performance.now() - started);
      this.byStatus.set(response.statusCode, (this.byStatus.get(response.statusCode) ?? 0) + 1);
      const location = response.headers.location;
      this.#onResponse?.(request, {
        status: response.statusCode,
        location: Array.isArray(location) ? location[0] : location,
      });
    } catch {
      this.failures += 1;
    }
  }

  result(elapsedMs: number): LoadResult {
    return {
      sent: this.sent,
      elapsedMs,
      byStatus: this.byStatus,
      latenciesMs: this.latencies.values(),
      failures: this.failures,
    };
  }
}

const poolFor = (url: string, connections: number): Pool =>
  new Pool(url, {
    connections,
    pipelining: 1,
    keepAliveTimeout: 30_000,
    headersTimeout: 60_000,
    bodyTimeout: 60_000,
  });

const rateText = (count: number, ms: number): string => `${Math.round((count * 1000) / Math.max(ms, 1))}/s`;

/** `connections` workers, each sending its next request as soon as the previous one is answered. */
export const closedLoop = async (options: LoadCommon): Promise<LoadResult> => {
  const pool = poolFor(options.url, options.connections);
  const recorder = new Recorder(pool, options.onResponse);
  const bar = progress(options.label);
  const started = performance.now();
  const deadline = started + options.durationMs;
  const ticker = setInterval(() => {
    const elapsed = performance.now() - started;
    bar.update(
      `${(elapsed / 1000).toFixed(0)}/${(options.durationMs / 1000).toFixed(0)} s, ${rateText(recorder.latencies.length, elapsed)}`,
    );
  }, 250);
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) await recorder.send(options.next());
  };
  await Promise.all(Array.from({ length: options.connections }, worker));
  const elapsedMs = performance.now() - started;
  clearInterval(ticker);
  bar.done(`${(elapsedMs / 1000).toFixed(1)} s, ${rateText(recorder.latencies.length, elapsedMs)}`);
  await pool.close();
  return recorder.result(elapsedMs);
};

/** Sends `rate` requests per second for the duration, over up to `connections` connections. */
export const openLoop = async (options: LoadCommon & { readonly rate: number }): Promise<LoadResult> => {
  const pool = poolFor(options.url, options.connections);
  const recorder = new Recorder(pool, options.onResponse);
  const bar = progress(options.label);
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  const total = Math.round((options.rate * options.durationMs) / 1000);
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const elapsed = performance.now() - started;
      const due = Math.min(total, Math.floor((elapsed * options.rate) / 1000));
      while (recorder.sent < due) {
        const sending = recorder.send(options.next());
        inFlight.add(sending);
        void sending.finally(() => inFlight.delete(sending));
      }
      bar.update(
        `${(elapsed / 1000).toFixed(0)}/${(options.durationMs / 1000).toFixed(0)} s, sent ${recorder.sent}, in flight ${inFlight.size}`,
      );
      if (recorder.sent >= total) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
  await Promise.all(inFlight);
  const elapsedMs = performance.now() - started;
  bar.done(
    `${recorder.sent} sent at ${options.rate}/s, ${recorder.latencies.length} answered in ${(elapsedMs / 1000).toFixed(1)} s`,
  );
  await pool.close();
  return recorder.result(elapsedMs);
};

/** Answered requests with status `status` per second of the run. */
export const ratePerSecond = (result: LoadResult, status: number): number =>
  ((result.byStatus.get(status) ?? 0) * 1000) / Math.max(result.elapsedMs, 1);
