import { Inject, Injectable } from '@nestjs/common';
import { validateAlertEvent } from '@driftline/contracts';
import { DRIFTLINE_CONFIG, type DriftlineConfig } from '@driftline/config';
import type { Database } from '@driftline/db';
import { topicRoute, type EventPublisher } from '@driftline/kafka';
import type { Kafka } from 'kafkajs';
import { afterCommitStore, type AfterCommitUnitOfWork } from '@driftline/common';
import { DATABASE, KAFKA, KAFKA_PUBLISHER, LOGGER } from '@driftline/common';
import type { Logger } from '@driftline/common';
import { ServiceConsumer } from '@driftline/common';
import { METRICS, type ServiceMetrics } from '@driftline/common';
import { AlertIntakeService } from './alert-intake.service';
import { NotifierTasks } from './notifier.tasks';

/** AlertEvents in, alert states and groups recorded in the batch transaction; the work is AlertIntakeService's. */
@Injectable()
export class AlertsConsumer extends ServiceConsumer<AfterCommitUnitOfWork> {
  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(DATABASE) database: Database,
    @Inject(KAFKA_PUBLISHER) publisher: EventPublisher,
    @Inject(DRIFTLINE_CONFIG) config: DriftlineConfig,
    @Inject(LOGGER) logger: Logger,
    @Inject(METRICS) metrics: ServiceMetrics,
    intake: AlertIntakeService,
    tasks: NotifierTasks,
  ) {
    super({
      kafka,
      groupId: config.kafka.groups.notifier,
      store: afterCommitStore(database),
      publisher,
      config,
      logger,
      metrics,
      routes: [
        topicRoute(
          config.kafka.topics.alerts,
          validateAlertEvent,
          async (batch, tx: AfterCommitUnitOfWork) => {
            const result = await intake.record(
              batch.records.map((r) => r.value),
              tx,
            );
            tx.afterCommit(() => {
              intake.report(result);
              tasks.wake();
            });
          },
        ),
      ],
    });
  }
}
