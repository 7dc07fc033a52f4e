import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { validateGroundTruthEvent, validatePredictionEvent } from '@driftline/contracts';
import { DRIFTLINE_CONFIG, type DriftlineConfig } from '@driftline/config';
import type { Database, UnitOfWork } from '@driftline/db';
import { BatchConsumer, KafkaDeadLetterSink, topicRoute, type EventPublisher } from '@driftline/kafka';
import type { Kafka } from 'kafkajs';
import { DATABASE, KAFKA, KAFKA_PUBLISHER, LOGGER } from '../../common/src/infrastructure.providers';
import type { Logger } from '../../common/src/logger';
import { METRICS, type ServiceMetrics } from '../../common/src/service.metrics';
import { MonitorService } from './monitor.service';

/** Predictions and ground truth in, one transaction per batch out; the work is MonitorService's. */
@Injectable()
export class MonitorConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly consumer: BatchConsumer<UnitOfWork>;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(DATABASE) database: Database,
    @Inject(KAFKA_PUBLISHER) publisher: EventPublisher,
    @Inject(DRIFTLINE_CONFIG) config: DriftlineConfig,
    @Inject(LOGGER) logger: Logger,
    @Inject(METRICS) metrics: ServiceMetrics,
    monitor: MonitorService,
  ) {
    const { topics, groups } = config.kafka;
    this.consumer = new BatchConsumer<UnitOfWork>({
      kafka,
      groupId: groups.monitor,
      store: database,
      deadLetters: new KafkaDeadLetterSink(publisher, topics.deadLetter),
      logger: logger.child({ component: 'consumer' }),
      retries: config.consumer.retries,
      retryBackoffMs: config.consumer.retryBackoffMs,
      sessionTimeoutMs: config.consumer.sessionTimeoutMs,
      maxBytesPerPartition: config.consumer.maxBytesPerPartition,
      minBytes: config.consumer.minBytes,
      maxWaitMs: config.consumer.maxWaitMs,
      offsetMismatch: config.consumer.offsetMismatch,
      onOffsetReset: ({ topic, partition, reason, recordsLost }) => {
        const labels = { topic, partition: String(partition) };
        metrics.offsetMismatches.inc({ ...labels, reason });
        if (recordsLost !== null) metrics.recordsLost.inc(labels, Number(recordsLost));
      },
      routes: [
        topicRoute(topics.predictions, validatePredictionEvent, (batch, tx: UnitOfWork) =>
          monitor.recordPredictions(batch, tx),
        ),
        topicRoute(topics.groundTruth, validateGroundTruthEvent, (batch, tx: UnitOfWork) =>
          monitor.recordLabels(batch, tx),
        ),
      ],
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }

  isReady(): boolean {
    return this.consumer.isReady();
  }

  /** What holds the consumer back, in words for the operator. */
  problems(): string[] {
    return this.consumer.problems();
  }
}
