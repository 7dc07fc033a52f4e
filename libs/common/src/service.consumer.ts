import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { DRIFTLINE_CONFIG, type DriftlineConfig, type ServiceName } from '@driftline/config';
import type { Database } from '@driftline/db';
import { deadLetterReasonOf } from '@driftline/contracts';
import {
  BatchConsumer,
  KafkaDeadLetterSink,
  type BatchCommitReport,
  type DeadLetterSink,
  type EventPublisher,
  type OffsetLedger,
  type OffsetStore,
  type TopicRoute,
} from '@driftline/kafka';
import type { Kafka } from 'kafkajs';
import { DATABASE, KAFKA, KAFKA_PUBLISHER, LOGGER } from './infrastructure.providers';
import type { Logger } from './logger';
import { METRICS, type ServiceMetrics } from './service.metrics';

export interface ServiceConsumerOptions<Tx extends { offsets: OffsetLedger }> {
  kafka: Kafka;
  groupId: string;
  store: OffsetStore<Tx>;
  routes: TopicRoute<Tx>[];
  /** Publishes dead letters. */
  publisher: EventPublisher;
  config: DriftlineConfig;
  /** Gather fetches for CONSUMER_COMMIT_INTERVAL_MS before committing (the monitor); else per fetch. */
  commitInterval?: boolean;
  logger: Logger;
  metrics: ServiceMetrics;
}

/**
 * A BatchConsumer with what every consuming service shares: the CONSUMER_* settings, dead letters
 * on the dead-letter topic, and offset resets and lost records counted in /metrics.
 */
export function createBatchConsumer<Tx extends { offsets: OffsetLedger }>(
  options: ServiceConsumerOptions<Tx>,
): BatchConsumer<Tx> {
  const { config, metrics } = options;
  return new BatchConsumer<Tx>({
    kafka: options.kafka,
    groupId: options.groupId,
    store: options.store,
    routes: options.routes,
    deadLetters: countedDeadLetters(
      new KafkaDeadLetterSink(options.publisher, config.kafka.topics.deadLetter),
      metrics,
    ),
    logger: options.logger.child({ component: 'consumer' }),
    retries: config.consumer.retries,
    retryBackoffMs: config.consumer.retryBackoffMs,
    sessionTimeoutMs: config.consumer.sessionTimeoutMs,
    maxBytesPerPartition: config.consumer.maxBytesPerPartition,
    minBytes: config.consumer.minBytes,
    maxWaitMs: config.consumer.maxWaitMs,
    offsetMismatch: config.consumer.offsetMismatch,
    commitIntervalMs: options.commitInterval === true ? config.consumer.commitIntervalMs : 0,
    onUncommitted: (topic, partition, records) =>
      metrics.uncommittedRecords.set({ topic, partition: String(partition) }, records),
    onOffsetReset: ({ topic, partition, reason, recordsLost }) => {
      const labels = { topic, partition: String(partition) };
      metrics.offsetMismatches.inc({ ...labels, reason });
      if (recordsLost !== null) metrics.recordsLost.inc(labels, Number(recordsLost));
    },
    onAssigned: (assignment) => void forgetRevokedLag(metrics, assignment),
    onBatchCommitted: (report) => recordBatch(metrics, report),
  });
}

/**
 * Drops the lag series of partitions this member no longer holds: their last figure would stand
 * forever, and summed with the new owner's where several members share a registry (the monitor's
 * worker threads).
 */
export async function forgetRevokedLag(
  metrics: ServiceMetrics,
  assignment: Record<string, number[]>,
): Promise<void> {
  const held = new Set(
    Object.entries(assignment).flatMap(([topic, partitions]) => partitions.map((p) => `${topic}:${p}`)),
  );
  for (const { labels } of (await metrics.consumerLag.get()).values) {
    if (!held.has(`${labels.topic}:${labels.partition}`)) metrics.consumerLag.remove(labels);
  }
}

/** The consumer series every consuming service serves, from one committed batch. */
export function recordBatch(metrics: ServiceMetrics, report: BatchCommitReport): void {
  const labels = { topic: report.topic, partition: String(report.partition) };
  if (report.processed > 0) metrics.eventsConsumed.inc(labels, report.processed);
  metrics.consumerLag.set(labels, report.lag);
  metrics.batchDuration.observe({ topic: report.topic }, report.durationMs / 1000);
}

/** Counts what goes to the dead-letter topic by source topic and reason, once it was sent. */
export function countedDeadLetters(sink: DeadLetterSink, metrics: ServiceMetrics): DeadLetterSink {
  return {
    async send(records) {
      await sink.send(records);
      for (const record of records) {
        metrics.deadLetters.inc({ topic: record.sourceTopic, reason: deadLetterReasonOf(record.reasons) });
      }
    },
  };
}

/** What every consuming service hands its consumer, injected once (list it in the module's providers). */
@Injectable()
export class ConsumerInfrastructure {
  constructor(
    @Inject(KAFKA) readonly kafka: Kafka,
    @Inject(DATABASE) readonly database: Database,
    @Inject(KAFKA_PUBLISHER) readonly publisher: EventPublisher,
    @Inject(DRIFTLINE_CONFIG) readonly config: DriftlineConfig,
    @Inject(LOGGER) readonly logger: Logger,
    @Inject(METRICS) readonly metrics: ServiceMetrics,
  ) {}
}

export interface ServiceRoutes<Tx extends { offsets: OffsetLedger }> {
  /** The consuming service: its consumer group. */
  service: Exclude<ServiceName, 'api'>;
  /** Where the batch transactions and offsets go. */
  store(database: Database): OffsetStore<Tx>;
  routes: TopicRoute<Tx>[];
  /** Commit once every CONSUMER_COMMIT_INTERVAL_MS per partition instead of once per fetch. */
  commitInterval?: boolean;
}

/** A service's BatchConsumer as a Nest provider: started at bootstrap, stopped before shutdown. */
export class ServiceConsumer<Tx extends { offsets: OffsetLedger }>
  implements OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly consumer: BatchConsumer<Tx>;

  constructor(infra: ConsumerInfrastructure, { service, store, routes, commitInterval }: ServiceRoutes<Tx>) {
    const { kafka, database, publisher, config, logger, metrics } = infra;
    this.consumer = createBatchConsumer({
      kafka,
      groupId: config.kafka.groups[service],
      store: store(database),
      routes,
      commitInterval,
      publisher,
      config,
      logger,
      metrics,
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }

  /** In its group and not held back (see BatchConsumer.isReady). */
  isReady(): boolean {
    return this.consumer.isReady();
  }

  /** What holds the consumer back, in words for the operator. */
  problems(): string[] {
    return this.consumer.problems();
  }
}
