import { spawn, type ChildProcess } from 'node:child_process';
import { waitFor } from '@nexo/testkit';

const MAIN = new URL('../src/main.ts', import.meta.url).pathname;

export interface HubProcess {
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  readonly exited: Promise<number | null>;
  /** The URL it listens on, once its log says so. */
  listening(): Promise<string>;
}

/**
 * `pnpm start` as a process of its own (main.ts), over `dataDir`, on a port of its choosing
 * (`PORT=0`), with `env` added to its environment.
 */
export const spawnHub = (dataDir: string, env: Record<string, string> = {}): HubProcess => {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    cwd: new URL('..', import.meta.url).pathname,
    env: {
      ...process.env,
      NEXO_DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const address = () => /"msg":"Server listening at (http:\/\/127\.0\.0\.1:\d+)"/.exec(stdout)?.[1];
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    listening: async () => {
      await waitFor(
        'the hub process to listen',
        () => address() !== undefined || child.exitCode !== null,
        60_000,
      );
      const url = address();
      if (url === undefined) throw new Error(`the hub process exited: ${stderr || stdout}`);
      return url;
    },
  };
};
