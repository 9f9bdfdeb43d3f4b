/**
 * Runs a TypeScript entry point (the hub, or the bare fastify ceiling) in its own Node process, so
 * that the load generator and the server never share an event loop. The process is plain `node`
 * with tsx as a loader, so its pid is the server's own (RSS and CPU profiles are the server's).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface ChildServer {
  readonly url: string;
  readonly pid: number;
  /** Peak resident set size of the server process so far (Linux VmHWM), in bytes. */
  peakRss(): number | undefined;
  /** CPU time (user + system, all threads) the server process has used so far, in ms. */
  cpuMs(): number | undefined;
  /**
   * Time the process's main thread, the one that answers every request, has spent so far on a
   * core and waiting in the run queue for one (Linux schedstat).
   */
  requestThreadTimes(): ThreadTimes | undefined;
  /** SIGTERM, then waits for the exit (a CPU profile is written then). */
  stop(): Promise<void>;
}

export interface ChildServerOptions {
  /** Entry file, relative to the repository root. */
  readonly entry: string;
  readonly name: string;
  readonly env?: Readonly<Record<string, string>>;
  /** When set, the process runs with `--cpu-prof` and writes its profile into this folder. */
  readonly cpuProfileDir?: string;
  readonly readyTimeoutMs?: number;
}

/** A TCP port nobody listens on now (the OS picks it). */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });

export const peakRssOf = (pid: number): number | undefined => {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] === undefined ? undefined : Number(match[1]) * 1024;
  } catch {
    return undefined;
  }
};

export interface ThreadTimes {
  readonly onCpuMs: number;
  readonly waitingForCpuMs: number;
}

/** A thread's schedstat: nanoseconds on a core, nanoseconds runnable but waiting, time slices. */
export const threadTimesOf = (pid: number, tid: number): ThreadTimes | undefined => {
  try {
    const [onCpu, waiting] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ');
    return { onCpuMs: Number(onCpu) / 1e6, waitingForCpuMs: Number(waiting) / 1e6 };
  } catch {
    return undefined;
  }
};

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

export const cpuMsOf = (pid: number): number | undefined => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at ") "; utime and stime are 14th and 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / USER_HZ;
  } catch {
    return undefined;
  }
};

const forward = (child: ChildProcess, name: string): void => {
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      for (const line of chunk.split('\n'))
        if (line.trim() !== '') process.stderr.write(`    [${name}] ${line}\n`);
    });
  }
};

const waitUntilListening = async (url: string, child: ChildProcess, timeoutMs: number): Promise<void> => {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`the server exited with code ${child.exitCode} before listening`);
    try {
      const response = await request(`${url}/__bench_ready`);
      await response.body.dump();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`the server did not listen on ${url} within ${timeoutMs} ms`);
};

/** Servers still running: a bench that fails half-way must not leave them behind. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export const startChildServer = async (options: ChildServerOptions): Promise<ChildServer> => {
  const port = await freePort();
  const profile = options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
  const child = spawn(process.execPath, ['--import', 'tsx', ...profile, options.entry], {
    cwd: REPO_ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...options.env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  forward(child, options.name);
  running.add(child);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      running.delete(child);
      resolve();
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilListening(url, child, options.readyTimeoutMs ?? 60_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const pid = child.pid ?? 0;
  return {
    url,
    pid,
    peakRss: () => peakRssOf(pid),
    cpuMs: () => cpuMsOf(pid),
    // A process's main thread has the process's id.
    requestThreadTimes: () => threadTimesOf(pid, pid),
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
};
