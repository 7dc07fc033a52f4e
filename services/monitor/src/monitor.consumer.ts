import { Inject, Injectable } from '@nestjs/common';
import { validateGroundTruthEvent, validatePredictionEvent } from '@driftline/contracts';
import { DRIFTLINE_CONFIG, type DriftlineConfig } from '@driftline/config';
import type { Database, UnitOfWork } from '@driftline/db';
import { topicRoute, type EventPublisher } from '@driftline/kafka';
import type { Kafka } from 'kafkajs';
import { DATABASE, KAFKA, KAFKA_PUBLISHER, LOGGER } from '@driftline/common';
import type { Logger } from '@driftline/common';
import { ServiceConsumer } from '@driftline/common';
import { METRICS, type ServiceMetrics } from '@driftline/common';
import { MonitorService } from './monitor.service';

/** Predictions and ground truth in, one transaction per batch out; the work is MonitorService's. */
@Injectable()
export class MonitorConsumer extends ServiceConsumer<UnitOfWork> {
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
    super({
      kafka,
      groupId: groups.monitor,
      store: database,
      publisher,
      config,
      logger,
      metrics,
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
}
