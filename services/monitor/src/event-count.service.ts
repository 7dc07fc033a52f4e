import { Injectable } from '@nestjs/common';
import type { GroundTruthEvent, PredictionEvent } from '@driftline/contracts';
import type { MetricPoint, UnitOfWork } from '@driftline/db';
import type { ConsumedRecord, ValidBatch } from '@driftline/kafka';

export const COUNT_METRICS = {
  predictions: 'prediction_count',
  missing: 'missing_count',
  labels: 'label_count',
  duplicatePredictions: 'duplicate_prediction_count',
  duplicateLabels: 'duplicate_label_count',
} as const;

const MINUTE_MS = 60_000;

/** Counts of one model in one minute of event time. */
interface MinuteCounts {
  modelId: string;
  start: number;
  events: number;
  /** Null values per feature seen (0 included). */
  missing: Map<string, number>;
}

/**
 * Per model and minute of event time, summed as events go by (in order of first appearance), so a
 * batch of thousands of events becomes a few rows; fed by the pass that groups a batch by model.
 */
export class MinuteCounter {
  /** By model, then by minute start: no key string is built per event. */
  private readonly byModel = new Map<string, Map<number, MinuteCounts>>();
  /** Every model and minute, in order of first appearance. */
  private readonly all: MinuteCounts[] = [];
  /** The counts of the last event's model and minute: consecutive events mostly share them. */
  private last: MinuteCounts | undefined;

  /** Counts an event at `time` (epoch ms); with `features`, their null values too. */
  add(modelId: string, time: number, features?: Record<string, unknown>): void {
    const start = Math.floor(time / MINUTE_MS) * MINUTE_MS;
    let counts = this.last;
    if (counts === undefined || counts.modelId !== modelId || counts.start !== start) {
      let minutes = this.byModel.get(modelId);
      if (minutes === undefined) this.byModel.set(modelId, (minutes = new Map()));
      counts = minutes.get(start);
      if (counts === undefined) {
        counts = { modelId, start, events: 0, missing: new Map() };
        minutes.set(start, counts);
        this.all.push(counts);
      }
      this.last = counts;
    }
    counts.events++;
    if (features === undefined) return;
    const missing = counts.missing;
    for (const feature in features) {
      if (features[feature] === null) missing.set(feature, (missing.get(feature) ?? 0) + 1);
      else if (!missing.has(feature)) missing.set(feature, 0);
    }
  }

  /** The models counted. */
  models(): string[] {
    return [...this.byModel.keys()];
  }

  /** The count rows as `metric`, then a missing_count row per feature seen (labels see none). */
  points(metric: string): MetricPoint[] {
    const points: MetricPoint[] = [];
    for (const { modelId, start, events, missing } of this.all) {
      const base = { modelId, windowStart: new Date(start), windowEnd: new Date(start + MINUTE_MS) };
      points.push({ ...base, feature: '', metric, value: events });
      for (const [feature, value] of missing) {
        points.push({ ...base, feature, metric: COUNT_METRICS.missing, value });
      }
    }
    return points;
  }
}

/**
 * Per model and minute of event time: the prediction count (feature ''), and per feature seen the
 * count of null values (0 rows included, so a feature that is never missing still shows up).
 */
export function predictionCounts(events: readonly PredictionEvent[]): MetricPoint[] {
  const counter = new MinuteCounter();
  for (const event of events) counter.add(event.modelId, Date.parse(event.timestamp), event.features);
  return counter.points(COUNT_METRICS.predictions);
}

/** Per model and minute of event time: the count of `events` as `metric` (no row for a minute without). */
export function minuteCounts(
  events: readonly { modelId: string; timestamp: string }[],
  metric: string,
): MetricPoint[] {
  const counter = new MinuteCounter();
  for (const event of events) counter.add(event.modelId, Date.parse(event.timestamp));
  return counter.points(metric);
}

/** Per model and minute of the label's event time: the label count. */
export function labelCounts(events: readonly GroundTruthEvent[]): MetricPoint[] {
  return minuteCounts(events, COUNT_METRICS.labels);
}

const values = <T>(records: readonly ConsumedRecord<T>[]) => records.map((r) => r.value);

/**
 * Adds a batch's counts to the stored ones, inside the batch's transaction: those of its fresh
 * events, and per minute of event time the duplicates dropped (duplicate_prediction_count,
 * duplicate_label_count).
 */
@Injectable()
export class EventCountService {
  async recordPredictions(
    batch: ValidBatch<PredictionEvent>,
    tx: UnitOfWork,
    duplicates: readonly ConsumedRecord<PredictionEvent>[] = [],
  ): Promise<void> {
    const events = values(batch.records);
    await this.recordCounts(
      events.map((e) => e.modelId),
      [...predictionCounts(events), ...minuteCounts(values(duplicates), COUNT_METRICS.duplicatePredictions)],
      tx,
    );
  }

  /** Count rows summed by the batch's one pass (readPredictions), for the models it counted. */
  async recordCounts(models: string[], points: MetricPoint[], tx: UnitOfWork): Promise<void> {
    await tx.models.ensure(models);
    await tx.metrics.increment(points);
  }

  async recordLabels(
    batch: ValidBatch<GroundTruthEvent>,
    tx: UnitOfWork,
    duplicates: readonly ConsumedRecord<GroundTruthEvent>[] = [],
  ): Promise<void> {
    await tx.metrics.increment([
      ...labelCounts(values(batch.records)),
      ...minuteCounts(values(duplicates), COUNT_METRICS.duplicateLabels),
    ]);
  }
}
