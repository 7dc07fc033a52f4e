import type { GroundTruthEvent, PredictionEvent } from '@driftline/contracts';
import type { SeenEvent, SeenEventKey, SeenEventKind, SeenEventRepository } from '@driftline/db';
import type { ConsumedRecord, Logger, ValidBatch } from '@driftline/kafka';
import type { ServiceMetrics } from '@driftline/common';

/** A batch split by eventId: what the counts and the pipelines see, and what they only count. */
export interface Deduplicated<T> {
  /** The batch without its duplicates, in order. */
  fresh: ValidBatch<T>;
  /** Records whose eventId was counted before, in an earlier batch or earlier in this one; in order. */
  duplicates: ConsumedRecord<T>[];
}

export interface DedupStore {
  seenEvents: Pick<SeenEventRepository, 'store'>;
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

/** A batch's keys, in record order, and the first occurrence of each, to store. */
export interface BatchKeys {
  keys: string[];
  first: SeenEvent[];
}

export function batchKeys<T extends IdentifiedEvent>(records: readonly ConsumedRecord<T>[]): BatchKeys {
  const keys: string[] = new Array<string>(records.length);
  const first: SeenEvent[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < records.length; i++) {
    const { value } = records[i];
    const key = keyOf(value);
    keys[i] = key;
    if (seen.has(key)) continue;
    seen.add(key);
    // Date.parse: a number, no Date per event
    first.push({ modelId: value.modelId, eventId: value.eventId, eventTimeMs: Date.parse(value.timestamp) });
  }
  return { keys, first };
}

/**
 * Splits the batch, in order: a record is fresh if its key was not stored before (`seenBefore`) and
 * no earlier record of the batch had it; every other record is a duplicate.
 */
export function splitBatch<T>(
  batch: ValidBatch<T>,
  keys: readonly string[],
  seenBefore: readonly SeenEventKey[],
): Deduplicated<T> {
  const taken = new Set(seenBefore.map(keyOf));
  const fresh: ConsumedRecord<T>[] = [];
  const duplicates: ConsumedRecord<T>[] = [];
  batch.records.forEach((record, i) => {
    if (taken.has(keys[i])) {
      duplicates.push(record);
    } else {
      taken.add(keys[i]);
      fresh.push(record);
    }
  });
  return { fresh: { ...batch, records: fresh }, duplicates };
}

/**
 * Drops the events whose eventId the model already had within the dedup horizon, inside the batch
 * transaction: one seen_events insert per batch stores the new keys and names the stored ones, and
 * commits (or rolls back) with the counts, so a restart or a rebalance neither forgets an id nor
 * remembers one that was not counted. Exact: an event is a duplicate only if its key is stored.
 * `horizonMs` 0 turns it off.
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
    const { keys, first } = batchKeys(batch.records);
    const seenBefore = await tx.seenEvents.store(kind, first);
    if (seenBefore.length === 0 && first.length === keys.length) return { fresh: batch, duplicates: [] };
    const split = splitBatch(batch, keys, seenBefore);
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
