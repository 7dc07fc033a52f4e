import type { MetricPoint } from '@driftline/db';
import type { PredictionEvent } from '@driftline/contracts';
import type { ConsumedRecord } from '@driftline/kafka';
import { COUNT_METRICS, MinuteCounter } from './event-count.service';

export interface Arrival {
  event: PredictionEvent;
  partition: number;
  offset: string;
  /** Event time, epoch ms (parsed once). */
  time: number;
  /** Dropped as a duplicate: only counted, in the windows of its time not closed yet. */
  duplicate: boolean;
}

/** A batch of predictions after its one pass: by model, and its per-minute count rows. */
export interface PredictionArrivals {
  /** Each model's arrivals, fresh and duplicate, in offset order. */
  byModel: Map<string, Arrival[]>;
  /** Models with a fresh event (their models row must exist). */
  counted: string[];
  /** prediction_count and missing_count of the fresh events, duplicate_prediction_count of the rest. */
  counts: MetricPoint[];
}

/** Kafka offsets are decimal strings without leading zeros: shorter is smaller. */
const byOffset = (a: Arrival, b: Arrival) =>
  a.offset.length - b.offset.length || (a.offset < b.offset ? -1 : a.offset > b.offset ? 1 : 0);

/**
 * The one pass over a batch's events: each event time parsed once, the events grouped by model for
 * the panes, and the per-minute counts summed on the way. `duplicates` (records the dedup step set
 * aside) are grouped too, in offset order among the fresh ones, and counted as duplicates.
 */
export function readPredictions(
  fresh: readonly ConsumedRecord<PredictionEvent>[],
  duplicates: readonly ConsumedRecord<PredictionEvent>[] = [],
): PredictionArrivals {
  const byModel = new Map<string, Arrival[]>();
  let arrivals: Arrival[] | undefined;
  let model: string | undefined;
  const add = (record: ConsumedRecord<PredictionEvent>, duplicate: boolean): Arrival => {
    const { value, partition, offset } = record;
    if (value.modelId !== model) {
      model = value.modelId;
      arrivals = byModel.get(model);
      if (arrivals === undefined) byModel.set(model, (arrivals = []));
    }
    const arrival = { event: value, partition, offset, time: Date.parse(value.timestamp), duplicate };
    arrivals?.push(arrival);
    return arrival;
  };
  const counts = new MinuteCounter();
  for (const record of fresh) {
    const { time, event } = add(record, false);
    counts.add(event.modelId, time, event.features);
  }
  const repeated = new MinuteCounter();
  for (const record of duplicates) {
    const { time, event } = add(record, true);
    repeated.add(event.modelId, time);
  }
  if (duplicates.length > 0) for (const list of byModel.values()) list.sort(byOffset);
  return {
    byModel,
    counted: counts.models(),
    counts: [
      ...counts.points(COUNT_METRICS.predictions),
      ...repeated.points(COUNT_METRICS.duplicatePredictions),
    ],
  };
}
