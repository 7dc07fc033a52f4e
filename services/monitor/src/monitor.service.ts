import type { GroundTruthEvent, PredictionEvent } from '@driftline/contracts';
import type { UnitOfWork } from '@driftline/db';
import type { ValidBatch } from '@driftline/kafka';
import type { EventCountService } from './event-count.service';
import type { GroundTruthPipeline } from './ground-truth.pipeline';
import { monitorUnitOfWork } from './monitor.unit-of-work';
import type { PredictionPipeline } from './prediction.pipeline';
import type { SerialQueue } from './serial.queue';

/**
 * What a batch does, inside its transaction: the per-minute counts of every event, then windows,
 * drift and performance for monitored models. One batch at a time, and never during an idle tick.
 */
export class MonitorService {
  constructor(
    private readonly counts: EventCountService,
    private readonly predictions: PredictionPipeline,
    private readonly groundTruth: GroundTruthPipeline,
    private readonly queue: SerialQueue,
  ) {}

  recordPredictions(batch: ValidBatch<PredictionEvent>, tx: UnitOfWork): Promise<void> {
    return this.queue.run(async () => {
      await this.counts.recordPredictions(batch, tx);
      await this.predictions.handle(batch, monitorUnitOfWork(tx));
    });
  }

  recordLabels(batch: ValidBatch<GroundTruthEvent>, tx: UnitOfWork): Promise<void> {
    return this.queue.run(async () => {
      await this.counts.recordLabels(batch, tx);
      await this.groundTruth.handle(batch, monitorUnitOfWork(tx));
    });
  }
}
