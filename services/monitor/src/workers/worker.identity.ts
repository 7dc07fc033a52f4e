export const WORKER = Symbol('WORKER');

/** Which consumer of its process a worker thread is; with MONITOR_WORKERS=1 the main thread is 0 of 1. */
export interface WorkerIdentity {
  id: number;
  count: number;
}

/**
 * One consumer per process looks for models with stored window state that no one holds in memory
 * (after a restart), so their last windows close. Any consumer may tick a model safely (the model
 * lock and the token reload it if another wrote since), as replicas already do; worker 0 alone
 * looking keeps the other workers from holding every such model a second time.
 */
export const discoversIdleModels = (worker: WorkerIdentity): boolean => worker.id === 0;
