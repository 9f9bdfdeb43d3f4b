/**
 * Whether a Docker engine answers, found out in about a second and never hanging: DOCKER_HOST when
 * set, else the usual socket paths, each pinged with a short timeout. Testcontainers is only
 * started after this says yes, because its own discovery can wait much longer on a machine
 * without Docker.
 */
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Closable, ContractFactory } from '../contracts/harness.ts';

export type DockerProbe =
  | { readonly reachable: true; readonly endpoint: string }
  | { readonly reachable: false; readonly reason: string };

const PING_TIMEOUT_MS = 1_500;

const socketCandidates = (): string[] => {
  const home = homedir();
  const runtimeDir = process.env.XDG_RUNTIME_DIR;
  return [
    '/var/run/docker.sock',
    ...(runtimeDir ? [join(runtimeDir, 'docker.sock')] : []),
    join(home, '.docker', 'run', 'docker.sock'),
    join(home, '.docker', 'desktop', 'docker.sock'),
    join(home, '.colima', 'default', 'docker.sock'),
  ];
};

/** GET /_ping over a unix socket; true when the engine answers 200. */
const pingSocket = (socketPath: string, timeoutMs: number): Promise<boolean> =>
  new Promise((resolve) => {
    const req = request({ socketPath, path: '/_ping', method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });

/** A TCP connection to host:port opens (a TLS engine cannot be pinged without its certificates). */
const reachTcp = (host: string, port: number, timeoutMs: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });

export const probeDocker = async (timeoutMs: number = PING_TIMEOUT_MS): Promise<DockerProbe> => {
  const dockerHost = process.env.DOCKER_HOST;
  if (dockerHost !== undefined && dockerHost !== '') {
    if (dockerHost.startsWith('unix://')) {
      const socketPath = dockerHost.slice('unix://'.length);
      return (await pingSocket(socketPath, timeoutMs))
        ? { reachable: true, endpoint: dockerHost }
        : { reachable: false, reason: `DOCKER_HOST=${dockerHost} does not answer` };
    }
    const url = new URL(dockerHost.replace(/^tcp:/, 'http:'));
    const port = Number(url.port || (process.env.DOCKER_TLS_VERIFY ? 2376 : 2375));
    return (await reachTcp(url.hostname, port, timeoutMs))
      ? { reachable: true, endpoint: dockerHost }
      : { reachable: false, reason: `DOCKER_HOST=${dockerHost} does not answer` };
  }
  const present = socketCandidates().filter((path) => existsSync(path));
  for (const socketPath of present) {
    if (await pingSocket(socketPath, timeoutMs)) return { reachable: true, endpoint: `unix://${socketPath}` };
  }
  return {
    reachable: false,
    reason:
      present.length === 0
        ? 'no Docker engine (DOCKER_HOST unset, no docker.sock)'
        : `no Docker engine answers on ${present.join(', ')}`,
  };
};

/** A factory the contract suite reports as one skipped test whose title gives `reason`. */
export const skipped = <T extends Closable>(reason: string): ContractFactory<T> => ({
  skip: reason,
  create: () => Promise.reject(new Error(`skipped: ${reason}`)),
});
