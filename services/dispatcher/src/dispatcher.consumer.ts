import { Inject, Injectable } from '@nestjs/common';
import { validateRetrainTriggerEvent } from '@driftline/contracts';
import { DRIFTLINE_CONFIG, type DriftlineConfig } from '@driftline/config';
import type { Database } from '@driftline/db';
import { topicRoute, type EventPublisher } from '@driftline/kafka';
import type { Kafka } from 'kafkajs';
import { DATABASE, KAFKA, KAFKA_PUBLISHER, LOGGER } from '@driftline/common';
import { afterCommitStore, type AfterCommitUnitOfWork } from '@driftline/common';
import type { Logger } from '@driftline/common';
import { ServiceConsumer } from '@driftline/common';
import { METRICS, type ServiceMetrics } from '@driftline/common';
import { TriggerIntakeService } from './trigger-intake.service';

/** Retrain triggers in, deliveries recorded in the batch transaction; the work is TriggerIntakeService's. */
@Injectable()
export class DispatcherConsumer extends ServiceConsumer<AfterCommitUnitOfWork> {
  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(DATABASE) database: Database,
    @Inject(KAFKA_PUBLISHER) publisher: EventPublisher,
    @Inject(DRIFTLINE_CONFIG) config: DriftlineConfig,
    @Inject(LOGGER) logger: Logger,
    @Inject(METRICS) metrics: ServiceMetrics,
    intake: TriggerIntakeService,
  ) {
    super({
      kafka,
      groupId: config.kafka.groups.dispatcher,
      store: afterCommitStore(database),
      publisher,
      config,
      logger,
      metrics,
      routes: [
        topicRoute(config.kafka.topics.retrainTriggers, validateRetrainTriggerEvent, (batch, tx) =>
          intake.record(batch, tx),
        ),
      ],
    });
  }
}
