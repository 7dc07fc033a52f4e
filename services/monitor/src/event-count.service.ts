import { Injectable } from '@nestjs/common';
import type { GroundTruthEvent, PredictionEvent } from '@driftline/contracts';
import type { MetricPoint, UnitOfWork } from '@driftline/db';
import type { ValidBatch } from '@driftline/kafka';

export const COUNT_METRICS = {
  predictions: 'prediction_count',
  missing: 'missing_count',
  labels: 'label_count',
} as const;

const MINUTE_MS = 60_000;

function minuteOf(timestamp: string): { windowStart: Date; windowEnd: Date } {
  const start = Math.floor(Date.parse(timestamp) / MINUTE_MS) * MINUTE_MS;
  return { windowStart: new Date(start), windowEnd: new Date(start + MINUTE_MS) };
}

/**
 * Per model and minute of event time: the prediction count (feature ''), and per feature seen the
 * count of null values (0 rows included, so a feature that is never missing still shows up).
 */
export function predictionCounts(events: PredictionEvent[]): MetricPoint[] {
  return events.flatMap((event) => {
    const window = minuteOf(event.timestamp);
    const base = { modelId: event.modelId, ...window };
    return [
      { ...base, feature: '', metric: COUNT_METRICS.predictions, value: 1 },
      ...Object.entries(event.features).map(([feature, value]) => ({
        ...base,
        feature,
        metric: COUNT_METRICS.missing,
        value: value === null ? 1 : 0,
      })),
    ];
  });
}

/** Per model and minute of the label's event time: the label count. */
export function labelCounts(events: GroundTruthEvent[]): MetricPoint[] {
  return events.map((event) => ({
    modelId: event.modelId,
    ...minuteOf(event.timestamp),
    feature: '',
    metric: COUNT_METRICS.labels,
    value: 1,
  }));
}

/** Adds a batch's counts to the stored ones, inside the batch's transaction. */
@Injectable()
export class EventCountService {
  async recordPredictions(batch: ValidBatch<PredictionEvent>, tx: UnitOfWork): Promise<void> {
    const events = batch.records.map((r) => r.value);
    await tx.models.ensure(events.map((e) => e.modelId));
    await tx.metrics.increment(predictionCounts(events));
  }

  async recordLabels(batch: ValidBatch<GroundTruthEvent>, tx: UnitOfWork): Promise<void> {
    await tx.metrics.increment(labelCounts(batch.records.map((r) => r.value)));
  }
}
