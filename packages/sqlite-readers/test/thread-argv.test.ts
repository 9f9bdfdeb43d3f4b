import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { plainThreadArgv } from '../src/index.ts';

describe('the options a plain JavaScript thread starts with', () => {
  it('leave out the TypeScript loader and V8 flags, and keep the CPU profiler with its folder', () => {
    expect(
      plainThreadArgv([
        '--max-semi-space-size=32',
        '--import',
        'tsx',
        '--cpu-prof',
        '--cpu-prof-dir',
        '/tmp/profiles',
        '--cpu-prof-interval=500',
        '--require=./x.cjs',
      ]),
    ).toEqual(['--cpu-prof', '--cpu-prof-dir', '/tmp/profiles', '--cpu-prof-interval=500']);
    expect(plainThreadArgv(['--import=tsx', '--enable-source-maps'])).toEqual([]);
  });

  it('are options a worker thread accepts, where the process options are refused', async () => {
    const processOptions = ['--max-semi-space-size=32', '--import', 'tsx'];
    const start = (execArgv: string[]) =>
      new Promise<string>((resolve, reject) => {
        const worker = new Worker('process.exit(0)', { eval: true, execArgv });
        worker.once('error', (error: Error & { code?: string }) => reject(error));
        worker.once('exit', () => resolve('started'));
      });
    await expect(start(processOptions)).rejects.toMatchObject({ code: 'ERR_WORKER_INVALID_EXEC_ARGV' });
    await expect(start(plainThreadArgv(processOptions))).resolves.toBe('started');
  });
});
