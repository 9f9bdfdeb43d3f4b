/**
 * One worker thread that answers requests (a reader, the read store's writer, the audit writer):
 * each request goes out with an id, and the thread's reply with that id settles it (the thread's
 * side is serve-thread.mjs). The thread starts on the first request. A thread that dies fails every
 * request it owed; the next request starts another.
 */
import { Worker } from 'node:worker_threads';
import { plainThreadArgv } from './thread-argv.ts';

export interface RequestThreadOptions<Reply, Result> {
  /** The thread's module: plain JavaScript that answers through serve-thread.mjs. */
  readonly url: URL;
  readonly workerData: unknown;
  /** The result of a reply, or throws the error a reply carries. */
  readonly resultOf: (reply: Reply) => Result;
  /** The error for each request still owed when the thread dies. */
  readonly failed: (cause: Error) => Error;
  /** The error for a request made once stop() was called. */
  readonly stopped: () => Error;
}

interface Pending<Result> {
  readonly resolve: (result: Result) => void;
  readonly reject: (error: unknown) => void;
}

export class RequestThread<Reply, Result> {
  readonly #options: RequestThreadOptions<Reply, Result>;
  readonly #pending = new Map<number, Pending<Result>>();
  #worker: Worker | undefined;
  #exited: Promise<void> = Promise.resolve();
  #nextId = 0;
  /** Set by stop(): the thread then keeps the process alive until it exits. */
  #stopped: Promise<void> | undefined;

  constructor(options: RequestThreadOptions<Reply, Result>) {
    this.#options = options;
  }

  /** The requests sent and not yet answered. */
  get inFlight(): number {
    return this.#pending.size;
  }

  request(message: object): Promise<Result> {
    if (this.#stopped !== undefined) return Promise.reject(this.#options.stopped());
    const worker = (this.#worker ??= this.#start());
    const id = this.#nextId++;
    return new Promise<Result>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      // Only a thread with requests in flight keeps the process alive.
      if (this.#pending.size === 1) worker.ref();
      worker.postMessage({ ...message, id });
    });
  }

  /** Refuses new requests, lets those in flight finish, then stops the thread. */
  stop(): Promise<void> {
    return (this.#stopped ??= this.#stop());
  }

  async #stop(): Promise<void> {
    const worker = this.#worker;
    if (worker === undefined) return;
    worker.ref();
    // A thread answers its messages in order, so the requests sent before its 'stop' finish first.
    worker.postMessage('stop');
    await this.#exited;
  }

  #start(): Worker {
    const worker = new Worker(this.#options.url, {
      workerData: this.#options.workerData,
      execArgv: plainThreadArgv(),
    });
    worker.unref();
    this.#exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.on('message', (reply: Reply & { readonly id: number }) => this.#settle(worker, reply));
    worker.on('error', (error) => this.#fail(worker, error));
    worker.on('exit', (code) => this.#fail(worker, new Error(`it exited with code ${code}`)));
    return worker;
  }

  #settle(from: Worker, reply: Reply & { readonly id: number }): void {
    // A reply from a thread already given up on must not settle a request another thread holds.
    if (from !== this.#worker) return;
    const pending = this.#pending.get(reply.id);
    if (pending === undefined) return;
    this.#pending.delete(reply.id);
    // Unreferenced while it stops, the process could exit before the thread does, and whoever
    // awaits stop() would never go on.
    if (this.#pending.size === 0 && this.#stopped === undefined) from.unref();
    try {
      pending.resolve(this.#options.resultOf(reply));
    } catch (error) {
      pending.reject(error);
    }
  }

  #fail(failed: Worker, cause: Error): void {
    if (this.#worker !== failed) return;
    this.#worker = undefined;
    const owed = [...this.#pending.values()];
    this.#pending.clear();
    for (const { reject } of owed) reject(this.#options.failed(cause));
  }
}
