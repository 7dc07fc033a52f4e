import type { GroundTruthEvent } from '@driftline/contracts';
import type { PredictionLabel } from '@driftline/db';
import type { ValidBatch } from '@driftline/kafka';
import type { Logger } from '@driftline/kafka';
import type { Clock } from './monitor.clock';
import type { ModelCatalog } from './model.catalog';
import type { MonitorUnitOfWork } from './monitor.store';
import type { MonitoredModel } from './monitored.model';
import type { PerformanceService } from './performance.service';

export interface PendingLabelLimits {
  /** How long a label waits for its prediction. */
  ttlMs: number;
  /** Most labels held per model; the oldest go first. */
  maxPerModel: number;
}

export const DEFAULT_PENDING_LIMITS: PendingLabelLimits = { ttlMs: 86_400_000, maxPerModel: 100_000 };

/**
 * A batch of ground truth, inside the batch transaction: labels of models with a task and a
 * reference are joined to the prediction log and rewrite the performance of their windows; labels
 * whose prediction has not arrived are held in pending_ground_truth, which the prediction path
 * checks. Works on any partition assignment: nothing is kept in memory.
 */
export class GroundTruthPipeline {
  constructor(
    private readonly catalog: ModelCatalog,
    private readonly performance: PerformanceService,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly limits: PendingLabelLimits = DEFAULT_PENDING_LIMITS,
  ) {}

  async handle(batch: ValidBatch<GroundTruthEvent>, tx: MonitorUnitOfWork): Promise<void> {
    const byModel = new Map<string, PredictionLabel[]>();
    for (const { value } of batch.records) {
      const labels = byModel.get(value.modelId) ?? [];
      labels.push({ modelId: value.modelId, predictionId: value.predictionId, label: value.label });
      byModel.set(value.modelId, labels);
    }
    const models = await this.catalog.resolve([...byModel.keys()], tx.definitions);
    const labelled = [...models.values()]
      .filter((m): m is MonitoredModel => m !== null && m.spec.task !== undefined)
      .sort((a, b) => (a.modelId < b.modelId ? -1 : 1));
    if (labelled.length === 0) return;
    await tx.modelLocks.lock(labelled.map((m) => m.modelId));
    const now = this.clock.now();
    for (const model of labelled) {
      const unmatched = await this.performance.applyLabels(tx, model, byModel.get(model.modelId) ?? []);
      const dropped = await tx.pendingLabels.hold(
        unmatched.map((l) => ({
          ...l,
          receivedAt: new Date(now),
          expiresAt: new Date(now + this.limits.ttlMs),
        })),
        this.limits.maxPerModel,
      );
      if (dropped > 0) {
        this.logger.warn(
          { modelId: model.modelId, dropped },
          'pending ground truth over its bound: oldest dropped',
        );
      }
    }
  }
}
