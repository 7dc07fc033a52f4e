import type { GroundTruthEvent, PredictionEvent } from '@driftline/contracts';
import type { SeenEventKey, SeenEventKind, SeenEventRepository } from '@driftline/db';
import type { ConsumedRecord, Logger, ValidBatch } from '@driftline/kafka';
import type { ServiceMetrics } from '../../common/src/service.metrics';

/** A batch split by eventId: what the counts and the pipelines see, and what they only count. */
export interface Deduplicated<T> {
  /** The batch without its duplicates, in order. */
  fresh: ValidBatch<T>;
  /** Records whose eventId was counted before, in an earlier batch or earlier in this one; in order. */
  duplicates: ConsumedRecord<T>[];
}

export interface DedupStore {
  seenEvents: Pick<SeenEventRepository, 'insertNew'>;
}

interface IdentifiedEvent {
  modelId: string;
  eventId: string;
  timestamp: string;
}

const PROMETHEUS_KIND: Record<SeenEventKind, string> = {
  prediction: 'prediction',
  groundTruth: 'ground_truth',
};
/** Models named in the per-batch log line; the count covers the rest. */
const LOGGED_MODELS = 10;

const keyOf = ({ modelId, eventId }: SeenEventKey) => `${modelId}\u0000${eventId}`;

/** The first record of each (model, eventId) in the batch, in order. */
export function firstOccurrences<T extends IdentifiedEvent>(
  records: readonly ConsumedRecord<T>[],
): ConsumedRecord<T>[] {
  const first = new Map<string, ConsumedRecord<T>>();
  for (const record of records) {
    const key = keyOf(record.value);
    if (!first.has(key)) first.set(key, record);
  }
  return [...first.values()];
}

/**
 * Splits the batch, in order: a record is fresh if its key is among `stored` (the keys that were
 * new to seen_events) and no earlier record of the batch had it; every other record is a duplicate.
 */
export function splitByStored<T extends IdentifiedEvent>(
  batch: ValidBatch<T>,
  stored: readonly SeenEventKey[],
): Deduplicated<T> {
  const unclaimed = new Set(stored.map(keyOf));
  const fresh: ConsumedRecord<T>[] = [];
  const duplicates: ConsumedRecord<T>[] = [];
  for (const record of batch.records) {
    if (unclaimed.delete(keyOf(record.value))) fresh.push(record);
    else duplicates.push(record);
  }
  return { fresh: { ...batch, records: fresh }, duplicates };
}

/**
 * Drops the events whose eventId the model already had within the dedup horizon, inside the batch
 * transaction: one seen_events insert per batch tells which events are new, and commits (or rolls
 * back) with the counts, so a restart or a rebalance neither forgets an id nor remembers one that was
 * not counted. Exact: a key is a duplicate only if it is stored. `horizonMs` 0 turns it off.
 */
export class EventDedupService {
  constructor(
    private readonly horizonMs: number,
    private readonly metrics: Pick<ServiceMetrics, 'duplicateEvents'>,
    private readonly logger: Logger,
  ) {}

  predictions(batch: ValidBatch<PredictionEvent>, tx: DedupStore): Promise<Deduplicated<PredictionEvent>> {
    return this.deduplicate('prediction', batch, tx);
  }

  labels(batch: ValidBatch<GroundTruthEvent>, tx: DedupStore): Promise<Deduplicated<GroundTruthEvent>> {
    return this.deduplicate('groundTruth', batch, tx);
  }

  private async deduplicate<T extends IdentifiedEvent>(
    kind: SeenEventKind,
    batch: ValidBatch<T>,
    tx: DedupStore,
  ): Promise<Deduplicated<T>> {
    if (this.horizonMs === 0) return { fresh: batch, duplicates: [] };
    const first = firstOccurrences(batch.records);
    const stored = await tx.seenEvents.insertNew(
      kind,
      first.map(({ value }) => ({
        modelId: value.modelId,
        eventId: value.eventId,
        eventTime: new Date(value.timestamp),
      })),
    );
    if (stored.length === batch.records.length) return { fresh: batch, duplicates: [] };
    const split = splitByStored(batch, stored);
    this.report(kind, batch, split.duplicates);
    return split;
  }

  /** One counter increment and one log line per batch, whatever the number of duplicates. */
  private report<T extends IdentifiedEvent>(
    kind: SeenEventKind,
    batch: ValidBatch<T>,
    duplicates: ConsumedRecord<T>[],
  ): void {
    this.metrics.duplicateEvents.inc({ kind: PROMETHEUS_KIND[kind] }, duplicates.length);
    const byModel = new Map<string, number>();
    for (const { value } of duplicates) byModel.set(value.modelId, (byModel.get(value.modelId) ?? 0) + 1);
    const models = [...byModel].sort(([, a], [, b]) => b - a);
    this.logger.info(
      {
        topic: batch.topic,
        partition: batch.partition,
        kind,
        duplicates: duplicates.length,
        records: batch.records.length,
        models: Object.fromEntries(models.slice(0, LOGGED_MODELS)),
        ...(models.length > LOGGED_MODELS ? { otherModels: models.length - LOGGED_MODELS } : {}),
      },
      'duplicate events dropped: eventId already counted within the dedup horizon',
    );
  }
}
