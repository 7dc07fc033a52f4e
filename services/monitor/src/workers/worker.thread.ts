import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { WorkerIdentity } from './worker.identity';
import type { WorkerAnswers, WorkerData, WorkerMessage, WorkerQuestion } from './worker.protocol';

interface Pending {
  resolve(answer: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/** How a worker thread ended without being asked to: its exit code and the error that ended it. */
export interface WorkerDeath {
  identity: WorkerIdentity;
  exitCode: number;
  error: string | null;
}

/**
 * One worker thread seen from the main thread: started (its consumer in the group), asked questions
 * over its port with a deadline each, stopped. `onDeath` is told once if it ends on its own, after
 * it started or while it was starting.
 */
export class WorkerThread {
  readonly started: Promise<void>;
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private stopping = false;
  private error: string | null = null;

  constructor(
    entry: string,
    data: WorkerData,
    resourceLimits: ResourceLimits | undefined,
    onDeath: (death: WorkerDeath) => void,
  ) {
    this.worker = new Worker(entry, { workerData: data, resourceLimits });
    this.started = new Promise((resolve, reject) => {
      this.worker.on('message', (message: WorkerMessage) => {
        if (message.kind === 'started') resolve();
        else this.settle(message);
      });
      this.worker.on('error', (error) => (this.error = error.stack ?? error.message));
      this.worker.once('exit', (exitCode) => {
        for (const [id, pending] of this.pending) {
          clearTimeout(pending.timer);
          pending.reject(new Error(`worker ${data.identity.id} exited`));
          this.pending.delete(id);
        }
        reject(new Error(`worker ${data.identity.id} exited (${exitCode}) while starting: ${this.error}`));
        if (!this.stopping) onDeath({ identity: data.identity, exitCode, error: this.error });
      });
    });
    // a start that failed is reported by WorkerPool.start; this keeps it from being unhandled
    this.started.catch(() => undefined);
  }

  ask<Q extends WorkerQuestion>(question: Q, timeoutMs: number): Promise<WorkerAnswers[Q]> {
    const id = this.nextId++;
    return new Promise<WorkerAnswers[Q]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`worker gave no ${question} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (answer: unknown) => void, reject, timer });
      this.worker.postMessage({ id, question });
    });
  }

  /** Asks it to stop (its consumer commits what it gathered), then ends the thread. */
  async stop(timeoutMs: number): Promise<void> {
    this.stopping = true;
    await this.ask('stop', timeoutMs).catch(() => undefined);
    await this.worker.terminate();
  }

  private settle(message: Exclude<WorkerMessage, { kind: 'started' }>): void {
    const pending = this.pending.get(message.id);
    if (pending === undefined) return;
    this.pending.delete(message.id);
    clearTimeout(pending.timer);
    if (message.kind === 'answer') pending.resolve(message.answer);
    else pending.reject(new Error(message.error));
  }
}
