import type { DriftlineConfig } from '@driftline/config';
import type { MetricsSnapshot } from '@driftline/common';
import type { WorkerIdentity } from './worker.identity';

/** What a worker thread is started with (workerData): the main thread's validated configuration. */
export interface WorkerData {
  identity: WorkerIdentity;
  config: DriftlineConfig;
}

/** Its consumer's readiness, as BatchConsumer.isReady and problems tell it. */
export interface WorkerReadiness {
  ready: boolean;
  problems: string[];
}

/** What the main thread asks a worker, and what each answer carries. */
export interface WorkerAnswers {
  /** Its registry's series, for /metrics. */
  metrics: MetricsSnapshot;
  /** For /readyz. */
  readiness: WorkerReadiness;
  /** Its consumer stopped (open commit intervals committed) and its app closed. */
  stop: null;
}

export type WorkerQuestion = keyof WorkerAnswers;

/** Main thread to worker. */
export interface WorkerRequest {
  id: number;
  question: WorkerQuestion;
}

/** Worker to main thread: started (consumer in its group), or the answer to request `id`. */
export type WorkerMessage =
  | { kind: 'started' }
  | { kind: 'answer'; id: number; answer: WorkerAnswers[WorkerQuestion] }
  | { kind: 'failed'; id: number; error: string };
