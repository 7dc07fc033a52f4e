import type { ServiceMetrics } from '@driftline/common';
import type { PredictionEvent } from '@driftline/contracts';
import type { LoggedPrediction } from '@driftline/db';
import type { ConsumedRecord, ValidBatch } from '@driftline/kafka';
import type { ClosedWindow } from '@driftline/windowing';
import type { Clock } from './monitor.clock';
import type { ModelCatalog } from './model.catalog';
import type { ModelPane } from './model.pane';
import type { ModelRuntime, ModelRuntimes } from './model-runtime.registry';
import type { MonitorUnitOfWork, PredictionLogPartitions } from './monitor.store';
import type { MonitoredModel } from './monitored.model';
import type { PerformanceService } from './performance.service';
import { readPredictions, type Arrival, type PredictionArrivals } from './prediction.arrivals';
import type { WindowService } from './window.service';

const DAY_MS = 86_400_000;

/**
 * A batch of predictions, inside the batch transaction: each event of a monitored model goes to the
 * open pane of its model's window; windows the watermark closes are evaluated and written; the
 * predictions of models with a task are logged for their ground truth, and labels that came first
 * are joined. Then the touched models' tracker and panes are saved. If anything throws, the touched
 * models are dropped from memory (the transaction rolls back; they reload from Postgres).
 * `duplicates` (records dropped by the dedup step) only count in their windows' duplicateEvents, in
 * offset order among the batch's events, so the figure does not depend on where batches are cut.
 */
export class PredictionPipeline {
  constructor(
    private readonly catalog: ModelCatalog,
    private readonly runtimes: ModelRuntimes,
    private readonly windows: WindowService,
    private readonly performance: PerformanceService,
    private readonly partitions: PredictionLogPartitions,
    private readonly clock: Clock,
    private readonly metrics: Pick<ServiceMetrics, 'lateEvents'>,
  ) {}

  handle(
    batch: ValidBatch<PredictionEvent>,
    tx: MonitorUnitOfWork,
    duplicates: readonly ConsumedRecord<PredictionEvent>[] = [],
  ): Promise<void> {
    return this.handleArrivals(readPredictions(batch.records, duplicates), tx);
  }

  /** The batch as its one pass grouped it (readPredictions). */
  async handleArrivals({ byModel }: PredictionArrivals, tx: MonitorUnitOfWork): Promise<void> {
    const models = await this.catalog.resolve([...byModel.keys()], tx.definitions);
    const monitored = [...models.values()]
      .filter((m): m is MonitoredModel => m !== null)
      .sort((a, b) => (a.modelId < b.modelId ? -1 : 1));
    if (monitored.length === 0) return;

    const logged = monitored.filter((m) => m.spec.task !== undefined);
    if (logged.length > 0) {
      // one instant per day touched: the partitions are daily
      const days = new Set<number>();
      for (const m of logged)
        for (const a of byModel.get(m.modelId) ?? []) if (!a.duplicate) days.add(Math.floor(a.time / DAY_MS));
      await this.partitions.ensurePartitions([...days].map((day) => new Date(day * DAY_MS)));
    }
    await tx.modelLocks.lock(monitored.map((m) => m.modelId));
    try {
      const runtimes = await this.runtimes.acquireAll(tx, monitored);
      const closed: ClosedWindow<ModelPane>[][] = [];
      for (const [i, model] of monitored.entries())
        closed.push(await this.handleModel(tx, model, runtimes[i], byModel.get(model.modelId) ?? []));
      // the models' windows and state, one statement per table for the whole batch
      await this.windows.writeAll(
        tx,
        runtimes.map((runtime, i) => ({ runtime, closed: closed[i] })),
      );
      await this.runtimes.persistAll(tx, runtimes);
    } catch (error) {
      this.runtimes.forget(monitored.map((m) => m.modelId));
      throw error;
    }
  }

  /** Feeds the model's events to its panes and logs them for their labels; returns the windows closed. */
  private async handleModel(
    tx: MonitorUnitOfWork,
    model: MonitoredModel,
    runtime: ModelRuntime,
    arrivals: Arrival[],
  ): Promise<ClosedWindow<ModelPane>[]> {
    const now = this.clock.now();
    const closed: ClosedWindow<ModelPane>[] = [];
    const log: LoggedPrediction[] = [];
    let late = 0;
    for (const { event, partition, time, duplicate } of arrivals) {
      if (duplicate) {
        runtime.tracker.countDuplicate(time);
        continue;
      }
      const added = runtime.tracker.add({
        value: { features: event.features, prediction: event.prediction, score: event.score ?? null },
        eventTime: time,
        partition,
        now,
      });
      closed.push(...added.closed);
      if (!added.accepted && added.rejectedAs === 'late') late++;
      if (added.accepted && model.spec.task !== undefined) {
        log.push({
          modelId: model.modelId,
          predictionId: event.predictionId,
          eventTime: new Date(time),
          prediction: event.prediction,
          score: event.score ?? null,
          scores: event.scores ?? null,
        });
      }
    }
    runtime.lastSeenAt = Math.max(runtime.lastSeenAt, now);
    if (late > 0) this.metrics.lateEvents.inc(late);
    if (log.length > 0) {
      await tx.predictionLog.append(log);
      const pending = await tx.pendingLabels.take(
        model.modelId,
        log.map((p) => p.predictionId),
      );
      await this.performance.applyLabels(tx, model, pending);
    }
    return closed;
  }
}
