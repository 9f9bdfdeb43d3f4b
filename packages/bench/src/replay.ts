/**
 * Replay speed: `pnpm replay` (services/projector/src/replay-cli.ts, i.e. `rebuildReadModels` from
 * @nexo/projector) run as a child process on the folder the hub wrote, with the hub stopped. The
 * bench is a package and never imports a service; it runs the service's own command instead.
 */
import { spawn } from 'node:child_process';
import { REPO_ROOT, peakRssOf } from './child-server.ts';

export interface ReplayResult {
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly peakRssBytes: number | undefined;
}

const REPLAY_ENTRY = 'services/projector/src/replay-cli.ts';
/**
 * The node flags of the root package.json's `replay` script, so the bench measures what
 * `pnpm replay` runs: a rebuild makes short-lived objects fast, and a 32 MiB young generation
 * (16 MiB by default) halves its scavenges (+15% events/s on the bench's log). Its minimum is
 * 32 MiB too, so V8 no longer shrinks the young generation between scavenges and faults its
 * pages in again: on an 84,711-event log that cut system time from ~5.1 s to ~2.4 s and raised
 * the replay from ~6.1–6.7k to ~7.5k events/s.
 */
const REPLAY_NODE_FLAGS = ['--max-semi-space-size=32', '--min-semi-space-size=32'];

const parseFinished = (line: string): { events: number; seconds: number } | undefined => {
  try {
    const parsed = JSON.parse(line) as { msg?: unknown; events?: unknown; seconds?: unknown };
    return parsed.msg === 'replay finished' &&
      typeof parsed.events === 'number' &&
      typeof parsed.seconds === 'number'
      ? { events: parsed.events, seconds: parsed.seconds }
      : undefined;
  } catch {
    return undefined;
  }
};

export const runReplay = (dataDir: string): Promise<ReplayResult> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...REPLAY_NODE_FLAGS, '--import', 'tsx', REPLAY_ENTRY], {
      cwd: REPO_ROOT,
      env: { ...process.env, NEXO_DATA_DIR: dataDir, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let finished: { events: number; seconds: number } | undefined;
    let peakRssBytes: number | undefined;
    child.stdout.setEncoding('utf8');
    let buffered = '';
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) finished ??= parseFinished(line);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      process.stderr.write(chunk.replaceAll('\rreplay', '\r  replay'));
    });
    const rss = setInterval(() => {
      peakRssBytes = peakRssOf(child.pid ?? 0) ?? peakRssBytes;
    }, 200);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearInterval(rss);
      process.stderr.write('\n');
      finished ??= parseFinished(buffered);
      if (code !== 0 || finished === undefined)
        reject(new Error(`replay exited with code ${code ?? 'null'} and no result`));
      else
        resolve({
          ...finished,
          eventsPerSecond: finished.events / Math.max(finished.seconds, 1e-9),
          peakRssBytes,
        });
    });
  });
