import cluster, { type Worker } from 'node:cluster';
import type { MetricsAsk, MetricsReply } from './cluster.messages';

/** A forked worker process, as the primary handles it. */
export interface ForkedWorker {
  id: number;
  pid: number | undefined;
  send(message: MetricsAsk | MetricsReply): void;
  kill(signal: NodeJS.Signals): void;
}

/** What the primary needs of node:cluster and of its own process (a fake in unit tests). */
export interface ClusterHost {
  fork(): ForkedWorker;
  onMessage(listener: (worker: ForkedWorker, message: unknown) => void): void;
  onExit(listener: (worker: ForkedWorker, code: number | null, signal: NodeJS.Signals | null) => void): void;
  onSignal(signal: NodeJS.Signals, listener: () => void): void;
  exit(code: number): void;
}

/** A message to a process on its way out is lost, never an 'error' event that would crash this one. */
export const ignoreClosedChannel = (): void => undefined;

const forked = new WeakMap<Worker, ForkedWorker>();

function forkedWorker(worker: Worker): ForkedWorker {
  let handle = forked.get(worker);
  if (handle === undefined) {
    handle = {
      id: worker.id,
      pid: worker.process.pid,
      send: (message) => void worker.send(message, ignoreClosedChannel),
      // the signal itself, not worker.kill(): the worker's own shutdown hooks run
      kill: (signal) => void worker.process.kill(signal),
    };
    forked.set(worker, handle);
  }
  return handle;
}

/** node:cluster's primary, and this process's signals and exit. */
export const nodeClusterHost: ClusterHost = {
  fork: () => forkedWorker(cluster.fork()),
  onMessage: (listener) =>
    cluster.on('message', (worker, message: unknown) => listener(forkedWorker(worker), message)),
  onExit: (listener) =>
    cluster.on('exit', (worker, code: number | null, signal: NodeJS.Signals | null) =>
      listener(forkedWorker(worker), code, signal),
    ),
  onSignal: (signal, listener) => void process.on(signal, listener),
  exit: (code) => process.exit(code),
};
