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

const minuteStart = (timestamp: string) => Math.floor(Date.parse(timestamp) / MINUTE_MS) * MINUTE_MS;

/** The count rows, then a missing_count row per feature seen (labels see none). */
function pointsOf(counts: Iterable<MinuteCounts>, metric: string): MetricPoint[] {
  const points: MetricPoint[] = [];
  for (const { modelId, start, events, missing } of counts) {
    const base = { modelId, windowStart: new Date(start), windowEnd: new Date(start + MINUTE_MS) };
    points.push({ ...base, feature: '', metric, value: events });
    for (const [feature, value] of missing) {
      points.push({ ...base, feature, metric: COUNT_METRICS.missing, value });
    }
  }
  return points;
}

/** Events grouped by model and minute of event time, in order of first appearance. */
function countByMinute<E extends { modelId: string; timestamp: string }>(
  events: readonly E[],
  visit: (counts: MinuteCounts, event: E) => void,
): Iterable<MinuteCounts> {
  const byKey = new Map<string, MinuteCounts>();
  for (const event of events) {
    const start = minuteStart(event.timestamp);
    const key = `${event.modelId}\u0000${start}`;
    let counts = byKey.get(key);
    if (counts === undefined) {
      counts = { modelId: event.modelId, start, events: 0, missing: new Map() };
      byKey.set(key, counts);
    }
    counts.events++;
    visit(counts, event);
  }
  return byKey.values();
}

/**
 * Per model and minute of event time: the prediction count (feature ''), and per feature seen the
 * count of null values (0 rows included, so a feature that is never missing still shows up).
 * Summed in memory first: a batch of thousands of events becomes a few rows.
 */
export function predictionCounts(events: readonly PredictionEvent[]): MetricPoint[] {
  const counts = countByMinute(events, ({ missing }, event) => {
    for (const feature in event.features) {
      missing.set(feature, (missing.get(feature) ?? 0) + (event.features[feature] === null ? 1 : 0));
    }
  });
  return pointsOf(counts, COUNT_METRICS.predictions);
}

/** Per model and minute of event time: the count of `events` as `metric` (no row for a minute without). */
export function minuteCounts(
  events: readonly { modelId: string; timestamp: string }[],
  metric: string,
): MetricPoint[] {
  return pointsOf(
    countByMinute(events, () => undefined),
    metric,
  );
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
    await tx.models.ensure(events.map((e) => e.modelId));
    await tx.metrics.increment([
      ...predictionCounts(events),
      ...minuteCounts(values(duplicates), COUNT_METRICS.duplicatePredictions),
    ]);
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
