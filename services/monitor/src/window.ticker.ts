import { paneStart } from '@driftline/windowing';
import type { Logger } from '@driftline/kafka';
import type { Clock } from './monitor.clock';
import type { ModelCatalog } from './model.catalog';
import {
  storedLastSeenAt,
  TRACKER_KEY,
  type ModelRuntime,
  type ModelRuntimes,
  type StoredTracker,
} from './model-runtime.registry';
import type { MonitorUnitOfWork } from './monitor.store';
import type { SerialQueue } from './serial.queue';
import type { WindowService } from './window.service';

/** Models without an event for this long leave memory (they reload from Postgres when needed). */
export const EVICT_AFTER_MS = 15 * 60_000;

export interface MonitorTransactions {
  transaction<T>(work: (tx: MonitorUnitOfWork) => Promise<T>): Promise<T>;
}

/**
 * Closes the windows of models that went quiet (idleTimeout of wall-clock time without an event),
 * in its own transaction per model, serialised with batch handling by the shared queue. Models with
 * stored state but not in memory (after a restart) are loaded by `discover`, so their last windows
 * close even if no event of theirs ever comes again.
 */
export class WindowTicker {
  constructor(
    private readonly catalog: ModelCatalog,
    private readonly runtimes: ModelRuntimes,
    private readonly windows: WindowService,
    private readonly transactions: MonitorTransactions,
    private readonly queue: SerialQueue,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** One pass over the models in memory; returns how many windows it closed. */
  tick(): Promise<number> {
    return this.queue.run(async () => {
      let closed = 0;
      for (const runtime of this.runtimes.all()) {
        if (!this.mayClose(runtime, this.clock.now())) continue;
        try {
          closed += await this.tickModel(runtime.model.modelId, runtime);
        } catch (error) {
          this.runtimes.forget([runtime.model.modelId]);
          this.logger.error(
            { modelId: runtime.model.modelId, error: (error as Error).message },
            'idle tick failed',
          );
        }
      }
      this.runtimes.evictUnusedSince(this.clock.now() - EVICT_AFTER_MS);
      return closed;
    });
  }

  /**
   * Loads the models with stored window state and an idle timeout that are not in memory and whose
   * last event is at least that timeout old. One fed more recently is held by whoever consumes its
   * partition (another worker thread or replica), which ticks it; holding it here as well would
   * only double its panes in memory. Should it go quiet unheld, a later pass loads it.
   */
  discover(): Promise<number> {
    return this.queue.run(() =>
      this.transactions.transaction(async (tx) => {
        const held = new Set(this.runtimes.all().map((r) => r.model.modelId));
        const lastSeen = new Map(
          (await tx.windowState.findAll())
            .filter((s) => s.key === TRACKER_KEY && !held.has(s.modelId))
            .map((s) => [s.modelId, storedLastSeenAt(s.state as StoredTracker)]),
        );
        if (lastSeen.size === 0) return 0;
        const models = await this.catalog.resolve([...lastSeen.keys()], tx.definitions);
        const now = this.clock.now();
        let loaded = 0;
        for (const [modelId, model] of models) {
          const idleTimeout = model?.window.idleTimeout;
          if (model === null || idleTimeout === undefined) continue;
          if (now - (lastSeen.get(modelId) ?? -Infinity) < idleTimeout) continue;
          await this.runtimes.acquire(tx, model);
          loaded++;
        }
        return loaded;
      }),
    );
  }

  /** Cheap test before a transaction: every event is older than idleTimeout and a pane would close. */
  private mayClose(runtime: ModelRuntime, now: number): boolean {
    const { idleTimeout, allowedLateness, step } = runtime.model.window;
    const { tracker } = runtime;
    if (idleTimeout === undefined || tracker.livePanes === 0 || tracker.watermark === null) return false;
    if (now - runtime.lastSeenAt < idleTimeout) return false;
    return paneStart(now - allowedLateness - idleTimeout, step) > paneStart(tracker.watermark, step);
  }

  private tickModel(modelId: string, held: ModelRuntime): Promise<number> {
    return this.transactions.transaction(async (tx) => {
      await tx.modelLocks.lock([modelId]);
      const runtime = await this.runtimes.acquire(tx, held.model);
      const watermark = runtime.tracker.watermark;
      const closed = runtime.tracker.tick(this.clock.now());
      // Nothing to write: another instance fed the model since (its partition moved), say.
      if (closed.length === 0 && runtime.tracker.watermark === watermark) return 0;
      await this.windows.write(tx, runtime, closed);
      await this.runtimes.persist(tx, runtime);
      return closed.length;
    });
  }
}
