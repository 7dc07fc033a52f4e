import {
  decodeEvent,
  type DeadLetterRecord,
  type EventValidator,
  type ValidationResult,
} from '@driftline/contracts';
import type { Admin, Batch, Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { consumerConfig, type FetchSettings } from './consumer.config';
import type { DeadLetterSink } from './dead-letter.sink';
import type { Logger } from './logger';
import { decideFence } from './offset.fence';
import {
  findMismatch,
  mismatchAdvice,
  recordFingerprint,
  verifyingOffset,
  type OffsetMismatchPolicy,
  type OffsetResetEntry,
  type StoredPosition,
} from './offset.mismatch';

export interface ConsumedRecord<T> {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  /** Kafka record timestamp, ms since the epoch as a string. */
  timestamp: string;
  value: T;
}

export interface ValidBatch<T> {
  topic: string;
  partition: number;
  records: ConsumedRecord<T>[];
}

/**
 * Writes the batch's results with tx. It runs inside the transaction that also stores the offsets,
 * and may run again for the same records if that transaction fails: it must have no effect outside tx.
 */
export type BatchHandler<T, Tx> = (batch: ValidBatch<T>, tx: Tx) => Promise<void>;

export interface OffsetLedger {
  findPositions(groupId: string, topic: string): Promise<({ partition: number } & StoredPosition)[]>;
  lock(groupId: string, topic: string, partition: number): Promise<StoredPosition | null>;
  save(
    groupId: string,
    topic: string,
    partition: number,
    nextOffset: string,
    lastRecord: string | null,
  ): Promise<void>;
  recordReset(reset: OffsetResetEntry): Promise<void>;
}

/** What the consumer needs from Postgres; libs/db's Database satisfies it. */
export interface OffsetStore<Tx extends { offsets: OffsetLedger }> {
  offsets: OffsetLedger;
  transaction<R>(work: (tx: Tx) => Promise<R>): Promise<R>;
}

export interface TopicRoute<Tx> {
  topic: string;
  decode(raw: Buffer | null): ValidationResult<unknown>;
  handle(batch: ValidBatch<unknown>, tx: Tx): Promise<void>;
}

/** Binds a topic to the validator of its event type and the handler of valid batches. */
export function topicRoute<T, Tx>(
  topic: string,
  validate: EventValidator<T>,
  handle: BatchHandler<T, Tx>,
): TopicRoute<Tx> {
  return {
    topic,
    decode: (raw) => decodeEvent(raw, validate),
    // decode ran validate on every value the handler receives, so the values are T
    handle: (batch, tx) => handle(batch as ValidBatch<T>, tx),
  };
}

export interface BatchConsumerOptions<Tx extends { offsets: OffsetLedger }> extends FetchSettings {
  kafka: Kafka;
  groupId: string;
  routes: TopicRoute<Tx>[];
  store: OffsetStore<Tx>;
  deadLetters: DeadLetterSink;
  logger: Logger;
  /** Attempts of a batch whose handler throws before its records are tried one by one. */
  retries: number;
  retryBackoffMs: number;
  fromBeginning?: boolean;
  partitionsConsumedConcurrently?: number;
  /** When stored offsets disagree with the broker: reset to the log start (default) or pause. */
  offsetMismatch?: OffsetMismatchPolicy;
  /** Told of every reset and loss once its transaction committed (for metrics). */
  onOffsetReset?: (reset: OffsetResetEntry) => void;
  /** Told of every batch transaction that committed records (for metrics). */
  onBatchCommitted?: (report: BatchCommitReport) => void;
  now?: () => Date;
}

/** One committed batch transaction: what it consumed, how long it took, what is left behind it. */
export interface BatchCommitReport {
  topic: string;
  partition: number;
  processed: number;
  deadLettered: number;
  /** Handler and transaction, in milliseconds. */
  durationMs: number;
  /** Records on the partition after this batch when it was fetched (high watermark minus next offset). */
  lag: number;
}

export interface BatchConsumerStats {
  processed: number;
  deadLettered: number;
  batches: number;
}

interface DecodedRecord {
  message: KafkaMessage;
  decoded: ValidationResult<unknown>;
}

type Outcome =
  | { kind: 'committed'; next: StoredPosition; processed: number; deadLettered: number }
  | { kind: 'skip'; stored: StoredPosition }
  | { kind: 'blocked'; advice: string }
  | { kind: 'seek'; offset: string }
  | { kind: 'handler-failed'; reason: string }
  | { kind: 'abandoned' };

class HandlerError extends Error {
  constructor(override readonly cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

const MAX_BACKOFF_MS = 30_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const partitionKey = (topic: string, partition: number) => `${topic}:${partition}`;
const fingerprinted = ({ message }: DecodedRecord) => ({
  offset: message.offset,
  timestamp: message.timestamp,
  key: message.key ?? null,
  value: message.value,
});

/**
 * Consumes with eachBatch and stores results and offsets in one Postgres transaction per batch, so a
 * crash, a rebalance or a replay neither loses nor double-counts a record:
 * - the partition's offset row is locked first (decideFence), so records already committed by any
 *   consumer, this one before a crash or another one before a rebalance, are dropped;
 * - on assignment it seeks to the offsets last seen in Postgres, synchronously inside the GROUP_JOIN
 *   listener (kafkajs applies a seek on the next fetch; an async listener would race the first fetch);
 * - invalid records go to the dead-letter topic inside the transaction (at least once there);
 * - a handler that keeps failing makes the batch run record by record, and only records that fail
 *   alone are dead-lettered. Failures of Postgres or Kafka themselves are retried without end.
 * Offsets are committed to Kafka afterwards for lag monitoring only.
 */
export class BatchConsumer<Tx extends { offsets: OffsetLedger }> {
  private readonly consumer: Consumer;
  private readonly routes: Map<string, TopicRoute<Tx>>;
  /** Positions known to be in Postgres; never ahead of it, except right after an offset reset. */
  private readonly positions = new Map<string, StoredPosition>();
  /** Partitions paused by policy `fail`, with what the operator is told. */
  private readonly blocked = new Map<string, string>();
  private admin: Promise<Admin> | undefined;
  /** Partitions sought forward-gap-wise to the given offset, to detect records gone to retention. */
  private readonly gapSeeks = new Map<string, string>();
  private readonly statistics: BatchConsumerStats = { processed: 0, deadLettered: 0, batches: 0 };
  private joined = false;
  private crashed = false;
  private readonly now: () => Date;

  constructor(private readonly options: BatchConsumerOptions<Tx>) {
    this.routes = new Map(options.routes.map((r) => [r.topic, r]));
    this.now = options.now ?? (() => new Date());
    this.consumer = options.kafka.consumer(consumerConfig(options.groupId, options));
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => {
      this.joined = true;
      this.crashed = false;
      for (const [topic, partitions] of Object.entries(payload.memberAssignment)) {
        for (const partition of partitions) {
          const position = this.positions.get(partitionKey(topic, partition));
          // one record early, so that the first batch shows whether the broker still has the stored one
          if (position !== undefined)
            this.consumer.seek({ topic, partition, offset: verifyingOffset(position) });
        }
      }
      options.logger.info(
        { groupId: options.groupId, assignment: payload.memberAssignment },
        'partitions assigned',
      );
    });
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      this.crashed = !payload.restart;
      options.logger.error({ groupId: options.groupId, error: payload.error.message }, 'consumer crashed');
    });
  }

  async start(): Promise<void> {
    const { groupId, store } = this.options;
    for (const topic of this.routes.keys()) {
      for (const { partition, ...position } of await store.offsets.findPositions(groupId, topic)) {
        this.positions.set(partitionKey(topic, partition), position);
      }
    }
    await this.consumer.connect();
    await this.consumer.subscribe({
      topics: [...this.routes.keys()],
      fromBeginning: this.options.fromBeginning ?? true,
    });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachBatch: (payload) => this.onBatch(payload),
    });
  }

  async stop(): Promise<void> {
    this.joined = false;
    await this.consumer.disconnect();
    const admin = this.admin;
    this.admin = undefined;
    await admin?.then((a) => a.disconnect()).catch(() => undefined);
  }

  /** Joined its group, not crashed for good, and no partition held by the offset-mismatch policy. */
  isReady(): boolean {
    return this.joined && !this.crashed && this.blocked.size === 0;
  }

  /** Why the consumer holds partitions back (policy `fail`), for readiness and the operator. */
  problems(): string[] {
    return [...this.blocked.values()];
  }

  stats(): BatchConsumerStats {
    return { ...this.statistics };
  }

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const route = this.routes.get(batch.topic);
    if (!route) throw new Error(`no route for topic ${batch.topic}`);
    const records = batch.messages.map((message) => ({ message, decoded: route.decode(message.value) }));
    const fetchedOffset =
      (batch as Batch & { fetchedOffset?: string }).fetchedOffset ?? batch.firstOffset() ?? '0';

    const outcome = await this.attempt(payload, route, records, fetchedOffset, batch.lastOffset());
    switch (outcome.kind) {
      case 'committed':
        this.count(outcome);
        return this.afterCommit(payload, outcome.next);
      case 'skip':
        this.positions.set(partitionKey(batch.topic, batch.partition), outcome.stored);
        this.consumer.seek({
          topic: batch.topic,
          partition: batch.partition,
          offset: verifyingOffset(outcome.stored),
        });
        return;
      case 'blocked':
        return this.block(batch.topic, batch.partition, outcome.advice);
      case 'seek':
        this.seekForward(batch.topic, batch.partition, outcome.offset);
        return;
      case 'handler-failed':
        return this.isolate(payload, route, records);
      case 'abandoned':
        return;
    }
  }

  /** Tries each record alone; a record whose handler still fails is dead-lettered with the error. */
  private async isolate(
    payload: EachBatchPayload,
    route: TopicRoute<Tx>,
    records: DecodedRecord[],
  ): Promise<void> {
    const { topic, partition } = payload.batch;
    this.options.logger.warn(
      { topic, partition, records: records.length },
      'batch keeps failing: isolating records',
    );
    let next: StoredPosition | undefined;
    for (const record of records) {
      const offset = record.message.offset;
      let outcome = await this.attempt(payload, route, [record], offset, offset);
      if (outcome.kind === 'handler-failed') {
        outcome = await this.attempt(
          payload,
          route,
          [record],
          offset,
          offset,
          `handler failed: ${outcome.reason}`,
        );
      }
      if (outcome.kind === 'committed') {
        this.count(outcome);
        next = outcome.next;
      } else if (outcome.kind === 'seek') return this.seekForward(topic, partition, outcome.offset);
      else if (outcome.kind === 'blocked') return this.block(topic, partition, outcome.advice);
      else if (outcome.kind === 'abandoned') break;
    }
    if (next !== undefined) await this.afterCommit(payload, next);
  }

  private async attempt(
    payload: EachBatchPayload,
    route: TopicRoute<Tx>,
    records: DecodedRecord[],
    fetchedOffset: string,
    lastOffset: string,
    poison?: string,
  ): Promise<Outcome> {
    const { topic, partition } = payload.batch;
    let handlerFailures = 0;
    for (let attempt = 1; ; attempt++) {
      if (!payload.isRunning() || payload.isStale()) return { kind: 'abandoned' };
      try {
        return await this.commit(route, payload.batch, records, fetchedOffset, lastOffset, poison);
      } catch (error) {
        const handlerFailed = error instanceof HandlerError;
        if (handlerFailed) handlerFailures++;
        this.options.logger.warn(
          { topic, partition, fetchedOffset, attempt, handlerFailed, error: (error as Error).message },
          'batch transaction failed',
        );
        if (handlerFailed && handlerFailures >= this.options.retries) {
          return { kind: 'handler-failed', reason: (error as Error).message };
        }
        await sleep(Math.min(this.options.retryBackoffMs * 2 ** (attempt - 1), MAX_BACKOFF_MS));
        try {
          await payload.heartbeat();
        } catch {
          // rebalancing: leave the records unresolved, whoever owns the partition next refetches them
          return { kind: 'abandoned' };
        }
      }
    }
  }

  private async commit(
    route: TopicRoute<Tx>,
    batch: { partition: number; highWatermark: string },
    records: DecodedRecord[],
    fetchedOffset: string,
    lastOffset: string,
    poison: string | undefined,
  ): Promise<Outcome> {
    const { groupId, store, deadLetters } = this.options;
    const topic = route.topic;
    const { partition } = batch;
    const key = partitionKey(topic, partition);
    const resets: OffsetResetEntry[] = [];
    const startedAt = performance.now();
    const outcome = await store.transaction(async (tx): Promise<Outcome> => {
      resets.length = 0;
      let stored = await tx.offsets.lock(groupId, topic, partition);
      const mismatch =
        stored === null
          ? null
          : findMismatch(stored, batch.highWatermark, (offset) => {
              // the batch starts at the stored record only when the consumer sought one record early
              if (BigInt(offset) < BigInt(fetchedOffset) || BigInt(offset) > BigInt(lastOffset))
                return undefined;
              const record = records.find((r) => r.message.offset === offset);
              return record && fingerprinted(record);
            });
      if (stored !== null && mismatch !== null) {
        if (this.options.offsetMismatch === 'fail') {
          return { kind: 'blocked', advice: mismatchAdvice(topic, partition, mismatch) };
        }
        const logStart = await this.logStartOffset(topic, partition);
        const reset: OffsetResetEntry = {
          groupId,
          topic,
          partition,
          reason: mismatch.reason,
          oldOffset: stored.nextOffset,
          newOffset: logStart,
          recordsLost: null,
          detail: `${mismatch.detail}: consuming from the log start`,
        };
        await tx.offsets.recordReset(reset);
        await tx.offsets.save(groupId, topic, partition, logStart, null);
        resets.push(reset);
        stored = { nextOffset: logStart, lastRecord: null };
      }
      const decision = decideFence({
        stored: stored?.nextOffset ?? null,
        fetchedOffset,
        lastOffset,
        seekAlreadyTried: stored !== null && this.gapSeeks.get(key) === stored.nextOffset,
      });
      if (decision.kind === 'skip')
        return { kind: 'skip', stored: stored ?? { nextOffset: fetchedOffset, lastRecord: null } };
      if (decision.kind === 'seek') return decision;
      if (stored !== null && BigInt(fetchedOffset) > BigInt(stored.nextOffset)) {
        const lost: OffsetResetEntry = {
          groupId,
          topic,
          partition,
          reason: 'records_lost',
          oldOffset: stored.nextOffset,
          newOffset: fetchedOffset,
          recordsLost: (BigInt(fetchedOffset) - BigInt(stored.nextOffset)).toString(),
          detail: `the broker no longer has offsets ${stored.nextOffset} to ${BigInt(fetchedOffset) - 1n} (deleted by retention before they were consumed)`,
        };
        await tx.offsets.recordReset(lost);
        resets.push(lost);
      }

      const fresh = records.filter((r) => BigInt(r.message.offset) >= decision.from);
      const rejected = fresh.flatMap((r) => {
        if (poison !== undefined) return [{ record: r, reasons: [poison] }];
        return r.decoded.ok ? [] : [{ record: r, reasons: r.decoded.errors }];
      });
      if (rejected.length > 0) {
        await deadLetters.send(
          rejected.map(({ record, reasons }) => this.deadLetter(topic, partition, record, reasons)),
        );
      }
      const valid = poison !== undefined ? [] : fresh.filter((r) => r.decoded.ok);
      if (valid.length > 0) {
        try {
          await route.handle(
            { topic, partition, records: valid.map((r) => this.consumed(topic, partition, r)) },
            tx,
          );
        } catch (error) {
          throw new HandlerError(error);
        }
      }
      const last = records.at(-1);
      const next: StoredPosition = {
        nextOffset: (BigInt(lastOffset) + 1n).toString(),
        lastRecord: last?.message.offset === lastOffset ? recordFingerprint(fingerprinted(last)) : null,
      };
      await tx.offsets.save(groupId, topic, partition, next.nextOffset, next.lastRecord);
      return { kind: 'committed', next, processed: valid.length, deadLettered: rejected.length };
    });
    for (const reset of resets) this.reportReset(reset);
    if (outcome.kind === 'committed') {
      const { processed, deadLettered, next } = outcome;
      const lag = Math.max(0, Number(BigInt(batch.highWatermark) - BigInt(next.nextOffset)));
      const durationMs = performance.now() - startedAt;
      this.options.onBatchCommitted?.({ topic, partition, processed, deadLettered, durationMs, lag });
    }
    return outcome;
  }

  /** The offset of the first record the broker still has for the partition. */
  private async logStartOffset(topic: string, partition: number): Promise<string> {
    this.admin ??= (async () => {
      const admin = this.options.kafka.admin();
      await admin.connect();
      return admin;
    })();
    let admin: Admin;
    try {
      admin = await this.admin;
    } catch (error) {
      this.admin = undefined;
      throw error;
    }
    const offsets = await admin.fetchTopicOffsets(topic);
    const found = offsets.find((o) => o.partition === partition);
    if (found === undefined) throw new Error(`${topic} has no partition ${partition}`);
    return found.low;
  }

  private reportReset(reset: OffsetResetEntry): void {
    const { topic, partition, reason, oldOffset, newOffset, recordsLost, detail } = reset;
    this.positions.set(partitionKey(topic, partition), { nextOffset: newOffset, lastRecord: null });
    this.options.logger.error(
      { groupId: reset.groupId, topic, partition, reason, oldOffset, newOffset, recordsLost },
      reason === 'records_lost' ? `records lost: ${detail}` : `stored offset reset: ${detail}`,
    );
    this.options.onOffsetReset?.(reset);
  }

  /** Policy `fail`: nothing more is fetched for the partition, and the consumer is not ready. */
  private block(topic: string, partition: number, advice: string): void {
    const key = partitionKey(topic, partition);
    if (!this.blocked.has(key)) this.options.logger.error({ topic, partition }, advice);
    this.blocked.set(key, advice);
    this.consumer.pause([{ topic, partitions: [partition] }]);
  }

  private async afterCommit(payload: EachBatchPayload, position: StoredPosition): Promise<void> {
    const { topic, partition } = payload.batch;
    const next = position.nextOffset;
    this.positions.set(partitionKey(topic, partition), position);
    this.gapSeeks.delete(partitionKey(topic, partition));
    payload.resolveOffset((BigInt(next) - 1n).toString());
    this.statistics.batches++;
    try {
      await payload.commitOffsetsIfNecessary({
        topics: [{ topic, partitions: [{ partition, offset: next }] }],
      });
    } catch (error) {
      // informational only: Postgres holds the offsets that count
      this.options.logger.debug(
        { topic, partition, error: (error as Error).message },
        'kafka offset commit failed',
      );
    }
  }

  private count(outcome: { processed: number; deadLettered: number }): void {
    this.statistics.processed += outcome.processed;
    this.statistics.deadLettered += outcome.deadLettered;
  }

  private seekForward(topic: string, partition: number, offset: string): void {
    this.options.logger.warn(
      { topic, partition, offset },
      'broker position ahead of stored offset: seeking back',
    );
    this.gapSeeks.set(partitionKey(topic, partition), offset);
    this.consumer.seek({ topic, partition, offset });
  }

  private consumed(topic: string, partition: number, record: DecodedRecord): ConsumedRecord<unknown> {
    if (!record.decoded.ok) throw new Error('only valid records are consumed');
    return {
      topic,
      partition,
      offset: record.message.offset,
      key: record.message.key?.toString('utf8') ?? null,
      timestamp: record.message.timestamp,
      value: record.decoded.value,
    };
  }

  private deadLetter(
    topic: string,
    partition: number,
    record: DecodedRecord,
    reasons: string[],
  ): DeadLetterRecord {
    return {
      sourceTopic: topic,
      sourcePartition: partition,
      sourceOffset: record.message.offset,
      consumerGroup: this.options.groupId,
      key: record.message.key?.toString('utf8') ?? null,
      valueBase64: record.message.value?.toString('base64') ?? null,
      reasons,
      failedAt: this.now().toISOString(),
    };
  }
}
