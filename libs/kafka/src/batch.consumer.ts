import {
  decodeEvent,
  type DeadLetterRecord,
  type EventValidator,
  type ValidationResult,
} from '@driftline/contracts';
import type { Admin, Batch, Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { CommitInterval, CommitLane } from './commit.interval';
import { consumerConfig, intervalFetchSettings, type FetchSettings } from './consumer.config';
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
  /**
   * Gather a partition's fetches for this long and commit them in one transaction (0, the default:
   * one transaction per fetch).
   */
  commitIntervalMs?: number;
  /**
   * An interval also commits once its record values reach this many bytes (default
   * maxBytesPerPartition): the bound on what an open interval holds, apart from the fetch size.
   */
  commitIntervalMaxBytes?: number;
  /** Told how many records a partition's open interval holds, as it grows and once it is gone. */
  onUncommitted?: (topic: string, partition: number, records: number) => void;
  /** Told of each assignment (GROUP_JOIN): the partitions this member holds from now on, by topic. */
  onAssigned?: (assignment: Record<string, number[]>) => void;
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

/** Whom a commit's attempts answer to: the kafkajs batch it runs in, or the group generation. */
interface Lease {
  isRunning(): boolean;
  isStale(): boolean;
  heartbeat(): Promise<void>;
}

/** Records committed together (one fetch, or the fetches of a commit interval) and what follows. */
interface Work<Tx> {
  route: TopicRoute<Tx>;
  partition: number;
  highWatermark: string;
  records: DecodedRecord[];
  fetchedOffset: string;
  lastOffset: string;
  lease: Lease;
  /** Once a position is in Postgres: tell kafkajs (per fetch) or only Kafka's lag view (interval). */
  settle(next: StoredPosition): Promise<void>;
  /** When records were left uncommitted: per fetch nothing (unresolved, kafkajs refetches them). */
  rewind(): void;
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
const splitKey = (key: string): [string, number] => {
  const at = key.lastIndexOf(':');
  return [key.slice(0, at), Number(key.slice(at + 1))];
};
const fetchedOffsetOf = (batch: Batch) =>
  (batch as Batch & { fetchedOffset?: string }).fetchedOffset ?? batch.firstOffset() ?? '0';
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
 *
 * With `commitIntervalMs`, a partition's fetches are gathered as they come and resolved in kafkajs
 * only (autoCommit is off: nothing reaches Kafka's offsets before Postgres), and decoded, handled and
 * committed together once the interval has run (at the next fetch, or by a timer when none comes,
 * at a graceful stop, or once it holds `commitIntervalMaxBytes`):
 * the interval is one batch, from its first fetch's offset, through the same transaction, fence and
 * handler. A rebalance, a stop or an abandoned commit drops the interval from memory and seeks back
 * to the stored offset, so it is read again; the handler's in-memory state (the monitor's model
 * tokens) never saw it.
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
  private readonly intervalMs: number;
  /** Open commit intervals by partition (at most one each, gathering). */
  private readonly intervals = new Map<string, CommitInterval<KafkaMessage>>();
  /**
   * The intervals' commits, one at a time (the handler's work is serial anyway, and an interval is
   * decoded as its commit starts, so one decoded interval is in memory), while the fetch loop
   * gathers the next ones.
   */
  private readonly commits = new CommitLane();
  /** Records of the commit running, by partition. */
  private readonly committing = new Map<string, number>();
  /** Group generations seen (GROUP_JOIN); an interval opened in an earlier one is void. */
  private generation = 0;
  private running = false;
  private heartbeat: () => Promise<void> = () => Promise.resolve();

  constructor(private readonly options: BatchConsumerOptions<Tx>) {
    this.routes = new Map(options.routes.map((r) => [r.topic, r]));
    this.now = options.now ?? (() => new Date());
    this.intervalMs = options.commitIntervalMs ?? 0;
    this.consumer = options.kafka.consumer(
      consumerConfig(options.groupId, intervalFetchSettings(options, this.intervalMs)),
    );
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => {
      this.joined = true;
      this.crashed = false;
      // the partitions were revoked: what was gathered is read again from the stored offsets
      this.generation++;
      this.dropIntervals();
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
      options.onAssigned?.(payload.memberAssignment);
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
    this.running = true;
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
    // a graceful stop commits what it gathered, while the partitions are still this member's
    if (this.running) await this.commitOpenIntervals();
    this.joined = false;
    this.running = false;
    this.dropIntervals();
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

  private onBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const route = this.routes.get(batch.topic);
    if (!route) throw new Error(`no route for topic ${batch.topic}`);
    if (this.intervalMs > 0) return this.gather(payload);
    const records = this.decode(route, batch.messages);
    return this.process({
      route,
      partition: batch.partition,
      highWatermark: batch.highWatermark,
      records,
      fetchedOffset: fetchedOffsetOf(batch),
      lastOffset: batch.lastOffset(),
      lease: payload,
      settle: (next) => this.afterCommit(payload, next),
      rewind: () => undefined,
    });
  }

  private decode(route: TopicRoute<Tx>, messages: KafkaMessage[]): DecodedRecord[] {
    return messages.map((message) => ({ message, decoded: route.decode(message.value) }));
  }

  /** Adds a fetch to its partition's interval (resolved in kafkajs only) and commits the interval when due. */
  private async gather(payload: EachBatchPayload): Promise<void> {
    if (!this.running || !payload.isRunning() || payload.isStale()) return;
    const { batch } = payload;
    const key = partitionKey(batch.topic, batch.partition);
    this.heartbeat = () => payload.heartbeat();
    let interval = this.intervals.get(key);
    if (interval === undefined) {
      const opened = new CommitInterval<KafkaMessage>(
        { fetchedOffset: fetchedOffsetOf(batch), highWatermark: batch.highWatermark },
        Date.now(),
        this.generation,
      );
      opened.timer = setTimeout(
        () => void this.schedule(batch.topic, batch.partition, opened),
        this.intervalMs,
      );
      opened.timer.unref();
      this.intervals.set(key, opened);
      interval = opened;
    }
    interval.add(batch.messages, batch.lastOffset(), batch.highWatermark);
    payload.resolveOffset(batch.lastOffset());
    this.reportUncommitted(key);
    const { commitIntervalMaxBytes, maxBytesPerPartition } = this.options;
    if (
      interval.due(Date.now(), this.intervalMs, commitIntervalMaxBytes ?? maxBytesPerPartition ?? Infinity)
    ) {
      // an earlier interval still commits: the fetch loop waits for it (bounded memory)
      if (this.commits.busy) await this.commits.idle();
      void this.schedule(batch.topic, batch.partition, interval);
    }
  }

  /**
   * Queues the interval's commit. A commit that throws (not a failed
   * transaction, which is retried, nor a failing handler, whose records are isolated) leaves the
   * records uncommitted: the partition's open interval is dropped and the stored offset sought again.
   */
  private schedule(topic: string, partition: number, interval: CommitInterval<KafkaMessage>): Promise<void> {
    return this.commits
      .run(() => this.commitInterval(topic, partition, interval))
      .catch((error: Error) => {
        this.options.logger.error(
          { topic, partition, fetchedOffset: interval.fetchedOffset, error: error.message },
          'interval commit failed: reading it again from the stored offset',
        );
        this.reread(topic, partition, interval.generation);
      });
  }

  /** Drops the partition's open interval and seeks to its stored offset (unless a rebalance did since). */
  private reread(topic: string, partition: number, generation: number): void {
    const key = partitionKey(topic, partition);
    this.dropInterval(key);
    if (!this.running || this.generation !== generation) return;
    const position = this.positions.get(key);
    if (position === undefined) return;
    try {
      this.consumer.seek({ topic, partition, offset: verifyingOffset(position) });
    } catch (error) {
      this.options.logger.warn({ topic, partition, error: (error as Error).message }, 'seek back failed');
    }
  }

  /** Records gathered or committing, not in Postgres yet. */
  private reportUncommitted(key: string): void {
    const [topic, partition] = splitKey(key);
    const open = this.intervals.get(key)?.records.length ?? 0;
    this.options.onUncommitted?.(topic, partition, open + (this.committing.get(key) ?? 0));
  }

  /** Handles and commits an interval's records in one transaction, unless it was dropped meanwhile. */
  private async commitInterval(
    topic: string,
    partition: number,
    interval: CommitInterval<KafkaMessage>,
  ): Promise<void> {
    const key = partitionKey(topic, partition);
    if (this.intervals.get(key) !== interval) return;
    this.intervals.delete(key);
    clearTimeout(interval.timer);
    const route = this.routes.get(topic);
    if (route === undefined || interval.records.length === 0) return;
    const current = () => this.running && this.generation === interval.generation;
    const lease: Lease = {
      isRunning: current,
      isStale: () => false,
      heartbeat: () => this.heartbeat(),
    };
    this.committing.set(key, interval.records.length);
    try {
      await this.process({
        route,
        partition,
        highWatermark: interval.highWatermark,
        records: this.decode(route, interval.records),
        fetchedOffset: interval.fetchedOffset,
        lastOffset: interval.lastOffset,
        lease,
        settle: async ({ nextOffset }) => {
          // informational only, and never ahead of Postgres
          void this.consumer
            .commitOffsets([{ topic, partition, offset: nextOffset }])
            .catch((error: Error) =>
              this.options.logger.debug(
                { topic, partition, error: error.message },
                'kafka offset commit failed',
              ),
            );
        },
        rewind: () => {
          // after a rebalance the GROUP_JOIN listener has sought already
          if (!current()) return;
          const position = this.positions.get(key);
          const offset = position === undefined ? interval.fetchedOffset : verifyingOffset(position);
          try {
            this.consumer.seek({ topic, partition, offset });
          } catch (error) {
            this.options.logger.warn(
              { topic, partition, error: (error as Error).message },
              'seek back failed',
            );
          }
        },
      });
      // not committed through its last record (fenced, sought back, paused, abandoned): the fetches
      // gathered meanwhile follow records that are read again (after a rebalance, the open interval
      // is the new assignment's)
      const through = (BigInt(interval.lastOffset) + 1n).toString();
      if (current() && this.positions.get(key)?.nextOffset !== through) this.dropInterval(key);
    } finally {
      this.committing.delete(key);
      this.reportUncommitted(key);
    }
  }

  /** The commits running or queued, then each partition's open interval. */
  private async commitOpenIntervals(): Promise<void> {
    await this.commits.idle();
    await Promise.all(
      [...this.intervals].map(([key, interval]) => {
        const [topic, partition] = splitKey(key);
        return this.schedule(topic, partition, interval);
      }),
    );
  }

  private dropInterval(key: string): void {
    const interval = this.intervals.get(key);
    if (interval === undefined) return;
    clearTimeout(interval.timer);
    this.intervals.delete(key);
    this.reportUncommitted(key);
  }

  private dropIntervals(): void {
    for (const key of [...this.intervals.keys()]) this.dropInterval(key);
  }

  private async process(work: Work<Tx>): Promise<void> {
    const { route, partition, records } = work;
    const topic = route.topic;
    const outcome = await this.attempt(work, records, work.fetchedOffset, work.lastOffset);
    switch (outcome.kind) {
      case 'committed':
        this.count(outcome);
        return this.settled(work, outcome.next);
      case 'skip':
        this.positions.set(partitionKey(topic, partition), outcome.stored);
        this.consumer.seek({ topic, partition, offset: verifyingOffset(outcome.stored) });
        return;
      case 'blocked':
        return this.block(topic, partition, outcome.advice);
      case 'seek':
        this.seekForward(topic, partition, outcome.offset);
        return;
      case 'handler-failed':
        return this.isolate(work);
      case 'abandoned':
        return work.rewind();
    }
  }

  /** Tries each record alone; a record whose handler still fails is dead-lettered with the error. */
  private async isolate(work: Work<Tx>): Promise<void> {
    const { route, partition, records } = work;
    const topic = route.topic;
    this.options.logger.warn(
      { topic, partition, records: records.length },
      'batch keeps failing: isolating records',
    );
    let next: StoredPosition | undefined;
    let abandoned = false;
    for (const record of records) {
      const offset = record.message.offset;
      let outcome = await this.attempt(work, [record], offset, offset);
      if (outcome.kind === 'handler-failed') {
        outcome = await this.attempt(work, [record], offset, offset, `handler failed: ${outcome.reason}`);
      }
      if (outcome.kind === 'committed') {
        this.count(outcome);
        next = outcome.next;
      } else if (outcome.kind === 'seek') return this.seekForward(topic, partition, outcome.offset);
      else if (outcome.kind === 'blocked') return this.block(topic, partition, outcome.advice);
      else if (outcome.kind === 'abandoned') {
        abandoned = true;
        break;
      }
    }
    if (next !== undefined) await this.settled(work, next);
    if (abandoned) work.rewind();
  }

  private async attempt(
    work: Work<Tx>,
    records: DecodedRecord[],
    fetchedOffset: string,
    lastOffset: string,
    poison?: string,
  ): Promise<Outcome> {
    const { route, partition, lease } = work;
    const topic = route.topic;
    let handlerFailures = 0;
    for (let attempt = 1; ; attempt++) {
      if (!lease.isRunning() || lease.isStale()) return { kind: 'abandoned' };
      try {
        return await this.commit(route, work, records, fetchedOffset, lastOffset, poison);
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
          await lease.heartbeat();
        } catch {
          // rebalancing: leave the records uncommitted, whoever owns the partition next refetches them
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

  private settled(work: Work<Tx>, position: StoredPosition): Promise<void> {
    const key = partitionKey(work.route.topic, work.partition);
    this.positions.set(key, position);
    this.gapSeeks.delete(key);
    this.statistics.batches++;
    return work.settle(position);
  }

  private async afterCommit(payload: EachBatchPayload, position: StoredPosition): Promise<void> {
    const { topic, partition } = payload.batch;
    const next = position.nextOffset;
    payload.resolveOffset((BigInt(next) - 1n).toString());
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
