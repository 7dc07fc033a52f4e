import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DriftTask, ParseTask, WorkerReply, WorkerTask } from './report.worker-protocol';

type Without<T> = T extends unknown ? Omit<T, 'id' | 'kind'> : never;

/** The built worker script; absent when the CLI runs from its TypeScript sources (jest). */
const WORKER_SCRIPT = join(__dirname, 'report.worker.js');

/** The report's second thread (report.worker.ts): one task at a time or several, answered by id. */
export class ReportWorker {
  private nextId = 0;
  private readonly pending = new Map<number, (reply: WorkerReply) => void>();

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: WorkerReply) => {
      this.pending.get(reply.id)?.(reply);
      this.pending.delete(reply.id);
    });
    worker.on('error', (error) => this.failAll(String(error)));
    worker.on('exit', () => this.failAll('the report worker stopped'));
  }

  /** A worker when there is a second core and the built script, else undefined (one thread does all). */
  static start(): ReportWorker | undefined {
    if (availableParallelism() < 2 || !__filename.endsWith('.js') || !existsSync(WORKER_SCRIPT))
      return undefined;
    return new ReportWorker(new Worker(WORKER_SCRIPT));
  }

  parse(task: Without<ParseTask>): Promise<WorkerReply> {
    return this.send({ ...task, kind: 'parse' }, []);
  }

  drift(columns: DriftTask['columns']): Promise<WorkerReply> {
    const buffers = columns.flatMap((c) => [c.reference.buffer, c.current.buffer] as ArrayBuffer[]);
    return this.send({ kind: 'drift', columns }, buffers);
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }

  private send(task: Without<WorkerTask> & { kind: WorkerTask['kind'] }, transfer: ArrayBuffer[]) {
    const id = this.nextId++;
    return new Promise<WorkerReply>((resolve) => {
      this.pending.set(id, resolve);
      this.worker.postMessage({ ...task, id }, transfer);
    });
  }

  private failAll(message: string): void {
    for (const [id, resolve] of this.pending) resolve({ id, kind: 'failed', message });
    this.pending.clear();
  }
}
