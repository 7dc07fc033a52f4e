import type { GroundTruthEvent, PredictionEvent } from '@driftline/contracts';
import type { UnitOfWork } from '@driftline/db';
import type { ValidBatch } from '@driftline/kafka';
import type { EventCountService } from './event-count.service';
import type { EventDedupService } from './event-dedup.service';
import type { GroundTruthPipeline } from './ground-truth.pipeline';
import { monitorUnitOfWork } from './monitor.unit-of-work';
import { readPredictions } from './prediction.arrivals';
import type { PredictionPipeline } from './prediction.pipeline';
import type { SerialQueue } from './serial.queue';

/**
 * What a batch does, inside its transaction: first the events whose eventId was already counted are
 * set aside (they are only counted as duplicates), then one pass groups the events by model and
 * sums the per-minute counts, which are written, then windows, drift and performance for monitored
 * models. One batch at a time, and never during an
 * idle tick.
 */
export class MonitorService {
  constructor(
    private readonly dedup: EventDedupService,
    private readonly counts: EventCountService,
    private readonly predictions: PredictionPipeline,
    private readonly groundTruth: GroundTruthPipeline,
    private readonly queue: SerialQueue,
  ) {}

  recordPredictions(batch: ValidBatch<PredictionEvent>, tx: UnitOfWork): Promise<void> {
    return this.queue.run(async () => {
      const { fresh, duplicates } = await this.dedup.predictions(batch, tx);
      // one pass over the events: grouped by model for the panes, per-minute counts on the way
      const arrivals = readPredictions(fresh.records, duplicates);
      await this.counts.recordCounts(arrivals.counted, arrivals.counts, tx);
      await this.predictions.handleArrivals(arrivals, monitorUnitOfWork(tx));
    });
  }

  recordLabels(batch: ValidBatch<GroundTruthEvent>, tx: UnitOfWork): Promise<void> {
    return this.queue.run(async () => {
      const { fresh, duplicates } = await this.dedup.labels(batch, tx);
      await this.counts.recordLabels(fresh, tx, duplicates);
      await this.groundTruth.handle(fresh, monitorUnitOfWork(tx));
    });
  }
}
